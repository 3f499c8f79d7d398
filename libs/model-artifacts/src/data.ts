import { type DigitSet, loadMnist, permutation, Rng, stratifiedSplit, subset } from '@inkwell/ml-data';
import type { DataSource } from './data-source';
import type { RecipeData } from './recipe';

export interface RecipeSplits {
  readonly train: DigitSet;
  /** Never trained on: the split that temperature scaling and `val_acc` use. */
  readonly validation: DigitSet;
}

let cachedTrainFile: DigitSet | undefined;
let cachedTestFile: DigitSet | undefined;

export function mnistTest(): DigitSet {
  cachedTestFile ??= loadMnist('test');
  return cachedTestFile;
}

/** The MNIST training and validation digits a recipe's `data` block names (deterministic). */
export function loadRecipeData(data: RecipeData): RecipeSplits {
  cachedTrainFile ??= loadMnist('train');
  const all = cachedTrainFile;
  const split = stratifiedSplit(all.labels, { validationFraction: data.validationFraction, seed: data.splitSeed });
  let trainIdx: ArrayLike<number> = split.train;
  if (data.trainLimit !== null && data.trainLimit < split.train.length) {
    const order = permutation(split.train.length, new Rng(data.splitSeed + 1));
    const picked = new Uint32Array(data.trainLimit);
    for (let k = 0; k < picked.length; k++) picked[k] = split.train[order[k] ?? 0] ?? 0;
    trainIdx = picked.sort();
  }
  return { train: subset(all, trainIdx), validation: subset(all, split.validation) };
}

/**
 * MNIST as a DataSource: the training file minus the recipe's stratified validation split (and
 * `trainLimit`), scored on the official 10,000 test digits.
 */
export function mnistSource(data: RecipeData): DataSource {
  if (data.source !== 'mnist') throw new Error(`mnistSource: the recipe trains on ${data.source} ${data.dataset?.id ?? ''}, not MNIST`);
  const limit = data.trainLimit === null ? '' : `, first ${data.trainLimit} training digits`;
  return {
    name: `mnist (validation ${Math.round(data.validationFraction * 100)} %, split seed ${data.splitSeed}${limit})`,
    load: () => Promise.resolve({ ...loadRecipeData(data), test: mnistTest() }),
  };
}
