import { readFile } from 'node:fs/promises';
import { type DigitSet, parseIdxPair, permutation, Rng, subset } from '@inkwell/ml-data';
import { AppError } from '@inkwell/contracts';
import { resolveSplit, type SplitRecord } from './dataset-split';
import type { NormalizedPaths } from './normalized-writer';

/** A validated dataset's digits by index. */
export interface DigitSource {
  readonly size: number;
  /** Labels of all digits, in order. */
  readonly labels: Uint8Array;
  /** The digits at `indices`, as a DigitSet in that order. */
  images(indices: ArrayLike<number>): DigitSet;
}

/**
 * Loads the normalized IDX pair validation wrote. Training holds the dataset in memory anyway
 * (the trainers take whole DigitSets), 784 bytes per digit: 47 MB for MNIST.
 */
export async function loadNormalizedSource(paths: NormalizedPaths): Promise<DigitSource> {
  const [images, labels] = await Promise.all([readFile(paths.images), readFile(paths.labels)]);
  return digitSource(parseIdxPair(images, labels));
}

export function digitSource(set: DigitSet): DigitSource {
  return { size: set.count, labels: set.labels, images: (indices) => subset(set, indices) };
}

export interface SplitSets {
  readonly train: DigitSet;
  readonly validation: DigitSet;
  readonly test: DigitSet;
}

/** The three parts a split record names, checked against its hash. */
export function splitSets(source: DigitSource, record: SplitRecord): SplitSets {
  if (source.size === 0) throw new AppError('conflict', 'The dataset has no digits.');
  const indices = resolveSplit(record, source.labels);
  return { train: source.images(indices.train), validation: source.images(indices.validation), test: source.images(indices.test) };
}

/**
 * Keeps `limit` digits of the training part, picked in an order seeded by the split's own seed (the
 * same pick every time for one split and limit), kept in dataset order. As MNIST's `trainLimit`.
 */
export function limitTrain(sets: SplitSets, limit: number | null, seed: number): SplitSets {
  if (limit === null || limit >= sets.train.count) return sets;
  const order = permutation(sets.train.count, new Rng(seed + 1));
  const picked = Uint32Array.from(order.subarray(0, limit)).sort();
  return { ...sets, train: subset(sets.train, picked) };
}

/**
 * An uploaded dataset as the `DataSource` that `trainRecipe` (libs/model-artifacts) takes: its
 * normalized copy, cut by its stored split record (checked against the record's hash), with an
 * optional limit on the training digits (validation and test stay whole). Typed structurally, so
 * this lib does not depend on the training code.
 */
export function datasetDataSource(options: { readonly name: string; readonly normalized: NormalizedPaths; readonly split: SplitRecord; readonly trainLimit?: number | null }): { readonly name: string; load(): Promise<SplitSets> } {
  return {
    name: options.name,
    load: async () => limitTrain(splitSets(await loadNormalizedSource(options.normalized), options.split), options.trainLimit ?? null, options.split.spec.seed),
  };
}
