import { z } from 'zod';
import { ServingEngine } from '../models/activation-engine';

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
  /** Also return the 28x28 model input as a PNG (base64); single-digit mode only. */
  visualize: FormBool.optional(),
  /** `digit` (default): one digit, seed 004's shape. `number`: every digit, left to right (ReadNumberResponse). */
  mode: z.enum(['digit', 'number']).optional().meta({ description: 'digit (default): read one digit. number: read every digit left to right and answer the number shape' }),
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
  /** Which engine, model variant (float32 or int8) and thread count answered. */
  engine: ServingEngine.optional(),
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

/** A digit's box in the uploaded image's pixels (upright, after EXIF orientation). */
export const PixelBox = z.object({
  x: z.number().int().nonnegative(),
  y: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type PixelBox = z.infer<typeof PixelBox>;

/** One digit of a number (`mode=number`). `confidence` is 0..1 on /v1/read and a percentage on /api/predict, like the route's top level. */
const numberDigit = (confidenceMax: number) =>
  z.object({
    digit: z.number().int().min(0).max(9),
    confidence: z.number().min(0).max(confidenceMax),
    probs: Probs,
    top3: z.array(TopClass).length(3),
    box: PixelBox,
    /** Low confidence, or a shape that is no digit. */
    uncertain: z.boolean(),
  });

export const NumberDigit = numberDigit(1);
export type NumberDigit = z.infer<typeof NumberDigit>;

/**
 * `POST /v1/read` with `mode=number`: the digits left to right. `confidence` is the product of the
 * digits' (calibrated) confidences: the chance that the whole number is right, not just its weakest digit.
 */
export const ReadNumberResponse = z.object({
  mode: z.literal('number'),
  /** The digits read, left to right ("042": leading zeros kept). */
  number: z.string().regex(/^[0-9]+$/),
  confidence: z.number().min(0).max(1),
  digits: z.array(NumberDigit).min(1),
  model_id: z.string(),
  /** True when any digit is. */
  uncertain: z.boolean(),
  /** Which engine, model variant (float32 or int8) and thread count answered. */
  engine: ServingEngine.optional(),
});
export type ReadNumberResponse = z.infer<typeof ReadNumberResponse>;

export const PredictNumberDigit = numberDigit(100);
export type PredictNumberDigit = z.infer<typeof PredictNumberDigit>;

/** `POST /api/predict` with `mode=number`: as ReadNumberResponse, confidences in percent, plus the timing. */
export const PredictNumberResponse = z.object({
  mode: z.literal('number'),
  number: z.string().regex(/^[0-9]+$/),
  confidence: z.number().min(0).max(100),
  processing_time_ms: z.number().nonnegative(),
  digits: z.array(PredictNumberDigit).min(1),
  model_id: z.string(),
  uncertain: z.boolean(),
});
export type PredictNumberResponse = z.infer<typeof PredictNumberResponse>;

/** What `/v1/read` answers: the single-digit shape (no `mode` field), or the number shape (`mode: "number"`). */
export const ReadAnyResponse = z.union([ReadResponse, ReadNumberResponse]);
export type ReadAnyResponse = z.infer<typeof ReadAnyResponse>;
export const PredictAnyResponse = z.union([PredictResponse, PredictNumberResponse]);
export type PredictAnyResponse = z.infer<typeof PredictAnyResponse>;
