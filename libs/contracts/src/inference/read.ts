import { z } from 'zod';

/**
 * A boolean multipart field as clients send it ("true"/"false", "1"/"0", "yes"/"no"). Form fields
 * are strings, so the contract parses them here rather than trusting each caller's spelling.
 */
export const FormBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Seed 004's optional `/v1/read` fields (also accepted by `/api/predict`). */
export const ReadFields = z.object({
  /** true: light ink on a dark background; false: never invert; absent: detected from the image. */
  invert: FormBool.optional(),
  /** Centre by centre of mass like MNIST (default true). */
  center: FormBool.optional(),
  /** Also return the 28x28 model input as a PNG (base64). */
  visualize: FormBool.optional(),
});
export type ReadFields = z.infer<typeof ReadFields>;

const Probs = z.array(z.number().min(0).max(1)).length(10);

/** `POST /v1/read` (seed 004): confidence is 0..1. */
export const ReadResponse = z.object({
  digit: z.number().int().min(0).max(9),
  confidence: z.number().min(0).max(1),
  probs: Probs,
  /** The single model's id, or `ensemble_<N>_models` when N > 1 models answered. */
  model_id: z.string(),
  visual_png_b64: z.string().nullable(),
  /** Low confidence, several separate digits, or no digit-like shape. */
  uncertain: z.boolean(),
});
export type ReadResponse = z.infer<typeof ReadResponse>;

export const TopClass = z.object({ digit: z.number().int().min(0).max(9), prob: z.number().min(0).max(1) });
export type TopClass = z.infer<typeof TopClass>;

/** `POST /api/predict` (PRD FR-API-002): confidence is a percentage, 0..100. */
export const PredictResponse = z.object({
  digit: z.number().int().min(0).max(9),
  confidence: z.number().min(0).max(100),
  processing_time_ms: z.number().nonnegative(),
  probs: Probs,
  top3: z.array(TopClass).length(3),
  uncertain: z.boolean(),
  model_id: z.string(),
});
export type PredictResponse = z.infer<typeof PredictResponse>;
