import { z } from 'zod';
import { ModelVersion } from './model-registry';

/* `GET /api/models/presets`: the standard architectures the platform ships (FR1.2). */

export const PRESET_MODEL_NAMES = ['lenet5', 'resnet18'] as const;
export const PresetModelName = z.enum(PRESET_MODEL_NAMES);
export type PresetModelName = z.infer<typeof PresetModelName>;

const TensorSpec = z.object({ name: z.string(), dtype: z.literal('float32'), shape: z.array(z.union([z.int().positive(), z.string()])) });

/**
 * One preset: its specification, and the registry version holding its seeded, untrained weights
 * (what a benchmark of the preset runs). A preset is trained with `POST /api/models/train` and the
 * family of the same name; the trained version records the preset in its manifest's `arch` and
 * `hyperparameters.arch`.
 */
export const PresetModel = z.object({
  name: PresetModelName,
  title: z.string(),
  description: z.string(),
  /** The training family (`POST /api/models/train`), named as the preset. */
  family: z.string(),
  task: z.literal('classification'),
  /** Trainable parameters (batch-norm running statistics excluded). */
  parameters: z.int().positive(),
  input: TensorSpec,
  output: TensorSpec,
  /** Always false: the preset's weights are the seeded initialisation a training run starts from. */
  trained: z.literal(false),
  /** The initialisation seed of the untrained weights (same seed, same bytes). */
  seed: z.int().nonnegative(),
  /** Null when this trainer does not register the preset (`TRAINER_PRESETS`) or has not yet. */
  version: ModelVersion.nullable(),
});
export type PresetModel = z.infer<typeof PresetModel>;

export const PresetModelList = z.object({ items: z.array(PresetModel) });
export type PresetModelList = z.infer<typeof PresetModelList>;
