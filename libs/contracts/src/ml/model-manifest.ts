import { z } from 'zod';

/**
 * Seed 004's model manifest, v1.1. Written by the trainer beside `model.onnx`; inference refuses
 * any other schema version, and any `preprocess_hash` that differs from its own pipeline's.
 */
export const MANIFEST_SCHEMA_VERSION = '1.1';

/** How the float input tensor is derived from 0..1 grayscale ink (ink = 1): (x - mean) / std. */
export const InputNormalization = z.object({
  mean: z.number(),
  std: z.number().positive(),
});
export type InputNormalization = z.infer<typeof InputNormalization>;

export const MNIST_NORMALIZATION: InputNormalization = { mean: 0.1307, std: 0.3081 };

export const ModelManifest = z.object({
  schema_version: z.literal(MANIFEST_SCHEMA_VERSION),
  model_id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,127}$/),
  arch: z.string().min(1),
  n_classes: z.literal(10),
  version: z.string().min(1),
  created_at: z.iso.datetime({ offset: true }),
  preprocess_hash: z.string().min(8),
  val_acc: z.number().min(0).max(1),
  /** Divides the logits before softmax; already applied inside the exported graph's `probs`. */
  temperature: z.number().positive(),
  training_recipe: z.string().min(1),
  training_seed: z.number().int(),
  training_epochs: z.number().int().nonnegative(),
  test_acc: z.number().min(0).max(1).nullable(),
  recipe_hash: z.string().min(8),
  parent_model_id: z.string().nullable().optional(),
  /** Inkwell's additions (optional, so v1.1 manifests from elsewhere still parse). */
  normalization: InputNormalization.default(MNIST_NORMALIZATION),
  hyperparameters: z.record(z.string(), z.unknown()).optional(),
  input_name: z.string().default('image'),
  output_name: z.string().default('probs'),
});
export type ModelManifest = z.infer<typeof ModelManifest>;
