import { AppError } from '@inkwell/contracts';
import { z } from 'zod';
import type { ImageHeader } from './sniff-image';

/**
 * What an upload may be. The rule, checked on the header before any pixel is decoded:
 *   1. more than `maxBytes` bytes                 -> too_large (413); the HTTP layer checks this first
 *   2. width * height > `maxPixels`               -> too_large (413): a decompression bomb
 *   3. either side > `maxSidePx` or < `minSidePx` -> bad_dimensions (400)
 * Both sides are tested, so EXIF orientation (which only swaps them) cannot change the outcome.
 *
 * The defaults take a full-size phone photo (seed 000: up to 5 MB; a 12-megapixel 4032x3024 JPEG
 * is 2-4 MB), since JPEGs are decoded shrunk (decode-image.ts). The pixel cap is what bounds
 * decoding memory; the side cap (8192) only refuses shapes no photo has (a 16-megapixel frame is at
 * most 5333 px long at 16:9) and is where seed 004's stricter 1024 px is set back.
 */
export const ImageLimits = z.object({
  maxBytes: z.number().int().positive().default(5 * 1024 * 1024),
  maxSidePx: z.number().int().positive().default(8192),
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

/**
 * Most formats decode row by row into the shrinking resize, so the pixel cap bounds time more than
 * memory. An interlaced PNG or a progressive JPEG is held whole while decoding, and a 140 KB
 * interlaced 16-bit RGBA PNG of 16 megapixels grew RSS by 160 MB (measured). So such a file may ask
 * the decoder for at most 4 bytes per allowed pixel (64 MB at 16 megapixels): an interlaced 8-bit
 * RGB(A) PNG and a progressive 4:2:0 JPEG (3 bytes/px in coefficients) pass up to the pixel cap; a
 * progressive 4:4:4 JPEG (6 bytes/px) up to about 10.7 megapixels. Refused as too_large (413).
 */
export function checkWholeDecode(header: ImageHeader, limits: ImageLimits): void {
  const maxBytes = 4 * limits.maxPixels;
  if (header.wholeDecodeBytes > maxBytes) {
    const what = header.format === 'png' ? 'an interlaced PNG' : 'a progressive JPEG';
    throw new AppError('too_large', `Image is ${header.width}x${header.height} ${what}, which must be decoded whole; at this size send it non-${header.format === 'png' ? 'interlaced' : 'progressive'}.`, {
      width: header.width,
      height: header.height,
      decodeBytes: header.wholeDecodeBytes,
      maxDecodeBytes: maxBytes,
    });
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : `${n} bytes`;
}
