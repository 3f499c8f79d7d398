import { BUILTIN_MNIST_NAME, loadNormalizedSource, SplitRecord, splitSets } from '@inkwell/datasets';
import type { DigitSet } from '@inkwell/ml-data';
import { mnistTest } from '@inkwell/model-artifacts';
import type { DatasetsStore } from '../datasets/datasets.store';
import type { BlobStore } from '../storage/blob-store';

/** The key of MNIST's official test file, the digits `/v1/read` is judged on. */
export const MNIST_TEST_SET = `${BUILTIN_MNIST_NAME}:test`;

/** How many uploaded test parts stay in memory (784 bytes a digit): compare and evaluation ask for the same few. */
const CACHED = 4;

/**
 * The digits of a registry test set, by the key a version records (`test_set`): `mnist:test`, or
 * `<dataset id>:<split hash>`, the test part of an uploaded dataset's normalized copy cut by its
 * stored split record (redrawn and checked against the hash). Null for a key that names no live
 * dataset or a split the dataset no longer has.
 */
export class TestSets {
  private readonly cache = new Map<string, Promise<DigitSet | null>>();

  constructor(
    private readonly datasets: DatasetsStore,
    private readonly blobs: BlobStore,
  ) {}

  digits(testSet: string): Promise<DigitSet | null> {
    if (testSet === MNIST_TEST_SET) return Promise.resolve(mnistTest());
    const cached = this.cache.get(testSet);
    if (cached) return cached;
    const loading = this.load(testSet);
    this.cache.set(testSet, loading);
    // A failed or empty load is not kept: the dataset may be readable on the next ask.
    loading.then((set) => set ?? this.cache.delete(testSet), () => this.cache.delete(testSet)).catch(() => undefined);
    while (this.cache.size > CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return loading;
  }

  private async load(testSet: string): Promise<DigitSet | null> {
    const m = /^([0-9a-f-]{36}):([0-9a-f]{64})$/.exec(testSet);
    if (!m?.[1] || !m[2]) return null;
    const d = await this.datasets.get(m[1]);
    const split = SplitRecord.safeParse(d?.view.split);
    if (!d?.normalized || !split.success || split.data.index_hash !== m[2]) return null;
    const source = await loadNormalizedSource({ images: await this.blobs.path(d.normalized.images), labels: await this.blobs.path(d.normalized.labels) });
    return splitSets(source, split.data).test;
  }
}
