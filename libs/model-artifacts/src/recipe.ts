import { ForestParams, SvmParams } from '@inkwell/ml-classic';
import { AugmentOptions } from '@inkwell/ml-data';
import { ArchConfig, EarlyStopping, OptimizerConfig, Schedule } from '@inkwell/ml';
import { z } from 'zod';
import { canonicalJson, sha256Hex } from './canonical-json';

/**
 * Which MNIST digits a recipe sees when trained on `mnistSource(recipe.data)`: MNIST's training file
 * minus a stratified validation split (the split temperature scaling is fitted on); `trainLimit`
 * keeps only the first N of the remaining digits (in a seeded random order) for quick runs and for
 * the kernel SVM. Part of the recipe hash, so the committed default models keep their hashes.
 * `source: 'dataset'` is a run on an uploaded dataset's DataSource: `dataset` names it and its split
 * (the split record's index hash), so the hash tells such runs apart; the split record, not
 * `validationFraction`/`splitSeed`, then decides the parts. Absent for MNIST: its hashes stay.
 */
export const RecipeData = z.object({
  source: z.enum(['mnist', 'dataset']).default('mnist'),
  dataset: z.object({ id: z.string().min(1), splitHash: z.string().min(1) }).optional(),
  validationFraction: z.number().gt(0).lt(1).default(0.1),
  splitSeed: z.number().int().min(0).default(0),
  trainLimit: z.number().int().positive().nullable().default(null),
});
export type RecipeData = z.infer<typeof RecipeData>;

const Common = {
  /** Becomes the manifest's `training_recipe`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  data: RecipeData.default(RecipeData.parse({})),
};

/** A neural net trained by @inkwell/ml: everything TrainConfig needs except the run-time knobs (threads, cuda). */
export const NetRecipe = z.object({
  /** The preset families (lenet5, resnet18) are trained from the API only, not by the CLI's FAMILIES. */
  family: z.enum(['mlp', 'cnn', 'resnet', 'lenet5', 'resnet18']),
  ...Common,
  arch: ArchConfig,
  optimizer: OptimizerConfig,
  schedule: Schedule.default({ kind: 'constant' }),
  epochs: z.number().int().positive().max(1000),
  batchSize: z.number().int().positive().max(8192).default(64),
  labelSmoothing: z.number().min(0).lt(1).default(0),
  augment: AugmentOptions.nullable().default(null),
  earlyStopping: EarlyStopping.optional(),
});
export type NetRecipe = z.infer<typeof NetRecipe>;

export const SvmRecipe = z.object({
  family: z.literal('svm'),
  ...Common,
  params: SvmParams.omit({ seed: true, cacheMb: true }),
  /** Digits held out of the SVM's own training for its pairwise Platt sigmoids. */
  calibrationCount: z.number().int().positive().default(5000),
});
export type SvmRecipe = z.infer<typeof SvmRecipe>;

export const ForestRecipe = z.object({
  family: z.literal('random_forest'),
  ...Common,
  params: ForestParams.omit({ seed: true }),
});
export type ForestRecipe = z.infer<typeof ForestRecipe>;

export const Recipe = z.union([NetRecipe, SvmRecipe, ForestRecipe]);
export type Recipe = z.infer<typeof Recipe>;
export type RecipeInput = z.input<typeof Recipe>;
export const FAMILIES = ['mlp', 'cnn', 'resnet', 'svm', 'random_forest'] as const;
export type Family = (typeof FAMILIES)[number];

/**
 * sha256 of the recipe's canonical JSON after parsing (defaults filled in), without its name:
 * arch + hyperparameters + seed + data + augmentation + epochs. Equal hashes mean the same
 * training run; renaming a recipe does not change what it computes.
 */
export function recipeHash(input: RecipeInput | Recipe): string {
  const { name: _name, ...rest } = Recipe.parse(input);
  return sha256Hex(canonicalJson(rest));
}

/** The recipe's hyperparameters as they go into the manifest. */
export function recipeHyperparameters(r: Recipe): Record<string, unknown> {
  const { name: _name, family: _family, ...rest } = r;
  return JSON.parse(canonicalJson(rest)) as Record<string, unknown>;
}
