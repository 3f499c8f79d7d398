import { AppError } from '@inkwell/contracts';
import { z } from 'zod';

/**
 * What an upload may be. The rule, checked on the header before any pixel is decoded:
 *   1. more than `maxBytes` bytes                 -> too_large (413); the HTTP layer checks this first
 *   2. width * height > `maxPixels`               -> too_large (413): a decompression bomb
 *   3. either side > `maxSidePx` or < `minSidePx` -> bad_dimensions (400)
 * Both sides are tested, so EXIF orientation (which only swaps them) cannot change the outcome.
 */
export const ImageLimits = z.object({
  maxBytes: z.number().int().positive().default(2 * 1024 * 1024),
  maxSidePx: z.number().int().positive().default(1024),
  minSidePx: z.number().int().positive().default(8),
  maxPixels: z.number().int().positive().default(16_000_000),
});
export type ImageLimits = z.infer<typeof ImageLimits>;

export const DEFAULT_IMAGE_LIMITS: ImageLimits = ImageLimits.parse({});

export function checkByteSize(byteLength: number, limits: ImageLimits): void {
  if (byteLength > limits.maxBytes) {
    throw new AppError('too_large', `File exceeds ${formatBytes(limits.maxBytes)} limit.`, { bytes: byteLength, maxBytes: limits.maxBytes });
  }
}

export function checkDimensions(width: number, height: number, limits: ImageLimits): void {
  const details = { width, height, ...limits };
  if (width * height > limits.maxPixels) {
    throw new AppError('too_large', `Image is ${width}x${height} pixels; at most ${limits.maxPixels} pixels are accepted.`, details);
  }
  if (Math.max(width, height) > limits.maxSidePx) {
    throw new AppError('bad_dimensions', `Image is ${width}x${height}; each side must be at most ${limits.maxSidePx} px.`, details);
  }
  if (Math.min(width, height) < limits.minSidePx) {
    throw new AppError('bad_dimensions', `Image is ${width}x${height}; each side must be at least ${limits.minSidePx} px.`, details);
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : `${n} bytes`;
}
