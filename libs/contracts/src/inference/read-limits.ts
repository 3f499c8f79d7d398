import { z } from 'zod';

/** The image types `/v1/read` accepts (it decides from the bytes, not from what the client claims). */
export const READ_IMAGE_TYPES = ['image/png', 'image/jpeg'] as const;

/**
 * `GET /v1/limits`: what one `/v1/read` upload may be, from the running service's configuration,
 * so a client can refuse a file before sending it with the same numbers the server applies.
 */
export const ReadLimits = z.object({
  /** The largest file, in bytes; more answers 413 too_large. */
  max_upload_bytes: z.number().int().positive(),
  /** width x height at most this (a decompression bomb guard); more answers 413 too_large. */
  max_pixels: z.number().int().positive(),
  /** Each side at most this many pixels; more answers 400 bad_dimensions. */
  max_side_px: z.number().int().positive(),
  /** Each side at least this many pixels; less answers 400 bad_dimensions. */
  min_side_px: z.number().int().positive().optional(),
  accepted_types: z.array(z.enum(READ_IMAGE_TYPES)).min(1),
});
export type ReadLimits = z.infer<typeof ReadLimits>;
