import { z } from 'zod';
import { Rng } from './prng';
import { shuffleInPlace } from './shuffle';

export const StratifiedSplitOptions = z.object({
  /** Fraction of each class that goes to validation, in (0, 1). */
  validationFraction: z.number().gt(0).lt(1),
  seed: z.number().int(),
});
export type StratifiedSplitOptions = z.infer<typeof StratifiedSplitOptions>;

export interface Split {
  /** Indices into the original set, ascending. */
  readonly train: Uint32Array;
  readonly validation: Uint32Array;
}

/**
 * Splits indices so that each class keeps its proportion in both parts: per class, the indices are
 * shuffled and round(fraction * classCount) go to validation. Deterministic for a seed.
 */
export function stratifiedSplit(labels: ArrayLike<number>, options: StratifiedSplitOptions): Split {
  const { validationFraction, seed } = StratifiedSplitOptions.parse(options);
  // A partition with no test part draws the same random stream, hence the same split.
  const { train, validation } = stratifiedPartition(labels, { validationFraction, testFraction: 0, seed });
  return { train, validation };
}

export const StratifiedPartitionOptions = z
  .object({
    /** Fractions of each class for validation and test, each in [0, 1); train gets the rest. */
    validationFraction: z.number().min(0).lt(1),
    testFraction: z.number().min(0).lt(1),
    seed: z.number().int(),
  })
  .refine((o) => o.validationFraction + o.testFraction < 1, 'validationFraction + testFraction must leave something to train on');
export type StratifiedPartitionOptions = z.infer<typeof StratifiedPartitionOptions>;

export interface Partition extends Split {
  readonly test: Uint32Array;
}

/**
 * Train / validation / test, stratified like `stratifiedSplit`: per class (in label order), the
 * indices are shuffled, the first round(validationFraction * n) go to validation, the next
 * round(testFraction * n) to test, the rest to train. Deterministic for a seed.
 */
export function stratifiedPartition(labels: ArrayLike<number>, options: StratifiedPartitionOptions): Partition {
  const { validationFraction, testFraction, seed } = StratifiedPartitionOptions.parse(options);
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    let bucket = byClass.get(label);
    if (!bucket) byClass.set(label, (bucket = []));
    bucket.push(i);
  }
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const bucket = shuffleInPlace(byClass.get(label) ?? [], rng);
    const nVal = Math.round(validationFraction * bucket.length);
    // Never let rounding push a class's train share below zero (tiny classes with large fractions).
    const nTest = Math.min(Math.round(testFraction * bucket.length), bucket.length - nVal);
    for (let k = 0; k < bucket.length; k++) (k < nVal ? validation : k < nVal + nTest ? test : train).push(bucket[k] as number);
  }
  const asc = (xs: number[]): Uint32Array => Uint32Array.from(xs).sort();
  return { train: asc(train), validation: asc(validation), test: asc(test) };
}
