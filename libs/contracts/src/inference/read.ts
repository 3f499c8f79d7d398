import { z } from 'zod';

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'f', 'n']);

/**
 * A boolean multipart field as clients send it. Seed 004's reference server is FastAPI, so its
 * clients send what pydantic accepts: true/false, 1/0, yes/no, on/off, t/f, y/n, case-insensitive
 * (Python's `requests` sends `True`). An empty value means "not given", as FastAPI treats it.
 */
export const FormBool = z
  .string()
  .transform((raw, ctx): boolean | undefined => {
    const v = raw.trim().toLowerCase();
    if (v === '') return undefined;
    if (TRUE_WORDS.has(v)) return true;
    if (FALSE_WORDS.has(v)) return false;
    ctx.addIssue({ code: 'custom', message: 'Expected a boolean: true/false, 1/0, yes/no or on/off' });
    return z.NEVER;
  })
  .meta({ description: 'true/false, 1/0, yes/no, on/off, t/f or y/n, case-insensitive; empty means not given' });

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
  /** The 28x28 model input as a PNG (base64), only when `visualize` was true. */
  visual_png_b64: z.string().optional(),
});
export type PredictResponse = z.infer<typeof PredictResponse>;
