import { createHash } from 'node:crypto';
import { stratifiedPartition, stratifiedSplit } from '@inkwell/ml-data';
import { AppError } from '@inkwell/contracts';
import { z } from 'zod';

const ClassCounts = z.array(z.number().int().nonnegative()).length(10);

/**
 * How to split: `stratified` draws train/validation/test per class with a seeded shuffle;
 * `official` keeps a dataset's published test part (records `test_start`..end, MNIST's t10k) and
 * carves validation, stratified, out of the published training part.
 */
export const SplitMethod = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('stratified'),
    seed: z.number().int().min(0).default(0),
    validation_fraction: z.number().min(0).lt(1).default(0.1),
    test_fraction: z.number().min(0).lt(1).default(0.1),
  }),
  z.object({
    method: z.literal('official'),
    seed: z.number().int().min(0).default(0),
    /** Of the training part. */
    validation_fraction: z.number().gt(0).lt(1).default(0.1),
    test_start: z.number().int().positive(),
  }),
]);
export type SplitMethod = z.infer<typeof SplitMethod>;
export type SplitMethodInput = z.input<typeof SplitMethod>;

/**
 * The split a model names. It does not list the indices (60k numbers per model); it is the
 * recipe to redraw them plus a SHA-256 of the resulting lists, so a redraw that differs (other
 * labels, other code) is caught instead of silently training on another split.
 */
export const SplitRecord = z.object({
  version: z.literal(1),
  spec: SplitMethod,
  /** Accepted digits in the dataset the indices point into. */
  dataset_count: z.number().int().nonnegative(),
  counts: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
  class_counts: z.object({ train: ClassCounts, validation: ClassCounts, test: ClassCounts }),
  /** sha256 over train, validation, test as little-endian uint32 lists, in that order. */
  index_hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SplitRecord = z.infer<typeof SplitRecord>;

/** Indices (ascending) into the dataset's accepted digits. */
export interface SplitIndices {
  readonly train: Uint32Array;
  readonly validation: Uint32Array;
  readonly test: Uint32Array;
}

function draw(labels: Uint8Array, spec: SplitMethod): SplitIndices {
  if (spec.method === 'stratified') {
    if (spec.validation_fraction + spec.test_fraction >= 1) {
      throw new AppError('validation_failed', 'validation_fraction + test_fraction must be below 1.', { validation_fraction: spec.validation_fraction, test_fraction: spec.test_fraction });
    }
    return stratifiedPartition(labels, { validationFraction: spec.validation_fraction, testFraction: spec.test_fraction, seed: spec.seed });
  }
  if (spec.test_start > labels.length) {
    throw new AppError('validation_failed', `test_start ${spec.test_start} is past the dataset's ${labels.length} digits.`, { test_start: spec.test_start });
  }
  // The same call as the recipes' loadRecipeData, so `mnist` official with its defaults gives the
  // validation digits the default models were calibrated on.
  const { train, validation } = stratifiedSplit(labels.subarray(0, spec.test_start), { validationFraction: spec.validation_fraction, seed: spec.seed });
  const test = Uint32Array.from({ length: labels.length - spec.test_start }, (_, i) => spec.test_start + i);
  return { train, validation, test };
}

export function hashSplit(indices: SplitIndices): string {
  const h = createHash('sha256');
  for (const part of [indices.train, indices.validation, indices.test]) {
    const le = new Uint8Array(part.length * 4);
    const view = new DataView(le.buffer);
    part.forEach((v, i) => view.setUint32(i * 4, v, true));
    h.update(le);
  }
  return h.digest('hex');
}

function classCounts(labels: Uint8Array, indices: Uint32Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const i of indices) counts[labels[i] as number] = (counts[labels[i] as number] ?? 0) + 1;
  return counts;
}

/** Draws a split of the accepted digits (their labels, in order) and the record that names it. */
export function makeSplit(labels: Uint8Array, spec: SplitMethodInput = { method: 'stratified' }): { record: SplitRecord; indices: SplitIndices } {
  const parsed = SplitMethod.parse(spec);
  const indices = draw(labels, parsed);
  const record = SplitRecord.parse({
    version: 1,
    spec: parsed,
    dataset_count: labels.length,
    counts: { train: indices.train.length, validation: indices.validation.length, test: indices.test.length },
    class_counts: { train: classCounts(labels, indices.train), validation: classCounts(labels, indices.validation), test: classCounts(labels, indices.test) },
    index_hash: hashSplit(indices),
  });
  return { record, indices };
}

/** Redraws a recorded split and checks it is the same one; throws `conflict` when it is not. */
export function resolveSplit(record: SplitRecord, labels: Uint8Array): SplitIndices {
  if (labels.length !== record.dataset_count) {
    throw new AppError('conflict', `The split was drawn over ${record.dataset_count} digits; the dataset has ${labels.length}.`, { expected: record.dataset_count, found: labels.length });
  }
  const indices = draw(labels, record.spec);
  const hash = hashSplit(indices);
  if (hash !== record.index_hash) {
    throw new AppError('conflict', 'Redrawing the split gave different indices than the recorded ones.', { expected: record.index_hash, found: hash });
  }
  return indices;
}
