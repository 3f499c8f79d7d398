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
  // Visit classes in label order so that the RNG stream, hence the split, does not depend on which
  // label happened to come first in the file.
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const bucket = shuffleInPlace(byClass.get(label) ?? [], rng);
    const nVal = Math.round(validationFraction * bucket.length);
    for (let k = 0; k < bucket.length; k++) (k < nVal ? validation : train).push(bucket[k] as number);
  }
  const asc = (xs: number[]): Uint32Array => Uint32Array.from(xs).sort();
  return { train: asc(train), validation: asc(validation) };
}
