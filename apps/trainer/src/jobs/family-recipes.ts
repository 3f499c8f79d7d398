import { AppError, type TrainFamily } from '@inkwell/contracts';
import { Recipe } from '@inkwell/model-artifacts';
import { z } from 'zod';

/**
 * Each family the trainer implements today, with its defaults: the hyperparameters a request
 * leaves out. The nets' fields are @inkwell/ml's (`arch`, `optimizer`, `schedule`, `batchSize`,
 * `labelSmoothing`, `augment`); `svm` and `random_forest` take `params`. The recipe schema of
 * @inkwell/model-artifacts is the family's parameter schema, so the API and the CLI check alike.
 */
const FAMILY_DEFAULTS: Readonly<Record<TrainFamily, Readonly<Record<string, unknown>>>> = {
  mlp: { arch: { kind: 'mlp' }, optimizer: { kind: 'adamw', lr: 0.001 }, batchSize: 64 },
  cnn: { arch: { kind: 'cnn' }, optimizer: { kind: 'adamw', lr: 0.001 }, batchSize: 64 },
  resnet: { arch: { kind: 'resnet' }, optimizer: { kind: 'adamw', lr: 0.001 }, batchSize: 64 },
  svm: { params: {} },
  random_forest: { params: {} },
};

/** Fields of the recipe a request may not set through `hyperparameters` (they have their own). */
const RESERVED = ['name', 'family', 'seed', 'data', 'epochs'];

export interface RecipeRequest {
  readonly jobId: string;
  readonly family: TrainFamily;
  readonly hyperparameters: Readonly<Record<string, unknown>>;
  readonly epochs: number;
  readonly seed: number;
  readonly maxTrainSamples: number | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The recipe a job trains: the family's defaults, the request's hyperparameters over them (nested
 * objects merged one level, so `{ "optimizer": { "lr": 0.01 } }` keeps the optimizer's kind),
 * MNIST's official split with the optional training-digit limit. 400 `validation_failed` when the
 * family's schema refuses them.
 */
export function recipeFor(r: RecipeRequest): Recipe {
  const reserved = Object.keys(r.hyperparameters).filter((k) => RESERVED.includes(k));
  if (reserved.length > 0) throw new AppError('validation_failed', `hyperparameters may not set ${reserved.join(', ')}: they are fields of the request`);
  const defaults = FAMILY_DEFAULTS[r.family];
  const merged: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(r.hyperparameters)) {
    const base = defaults[k];
    merged[k] = isObject(base) && isObject(v) ? { ...base, ...v } : v;
  }
  const isNet = r.family === 'mlp' || r.family === 'cnn' || r.family === 'resnet';
  const input = {
    ...merged,
    ...(isNet ? { epochs: r.epochs } : {}),
    name: `job-${r.jobId.slice(0, 8)}`,
    family: r.family,
    seed: r.seed,
    data: { source: 'mnist', validationFraction: 0.1, splitSeed: 0, trainLimit: r.maxTrainSamples },
  };
  const parsed = Recipe.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', `hyperparameters do not fit family ${r.family}: ${z.prettifyError(parsed.error)}`, { family: r.family });
  if (parsed.data.family !== r.family) throw new AppError('validation_failed', `hyperparameters describe another family than ${r.family}`);
  return parsed.data;
}
