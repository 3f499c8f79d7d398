import { type TrainFamily } from '@inkwell/contracts';
import { Recipe } from '@inkwell/model-artifacts';
import { MODEL_FAMILIES } from '../families';

export interface RecipeRequest {
  readonly jobId: string;
  readonly family: TrainFamily;
  readonly hyperparameters: Readonly<Record<string, unknown>>;
  readonly epochs: number;
  readonly seed: number;
  readonly maxTrainSamples: number | null;
}

/**
 * The recipe a job trains: the family's public hyperparameters (checked by its schema, defaults
 * filled in) mapped onto the engine by the family's own module (../families), on MNIST's official
 * split with the optional training-digit limit. 400 `validation_failed` naming each bad field when
 * the family's schema refuses them. Called when a job is created and again when it runs.
 */
export function recipeFor(r: RecipeRequest): Recipe {
  const input = MODEL_FAMILIES[r.family].recipe(r.hyperparameters, {
    name: `job-${r.jobId.slice(0, 8)}`,
    seed: r.seed,
    epochs: r.epochs,
    data: { source: 'mnist', validationFraction: 0.1, splitSeed: 0, trainLimit: r.maxTrainSamples },
  });
  // The family modules build what the engine takes; a failure here is a bug, not bad input (a 500).
  return Recipe.parse(input);
}
