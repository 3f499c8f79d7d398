import { z } from 'zod';
import { DEFAULT_IMAGE_LIMITS, ImageLimits } from './image-limits';
import type { Box } from './select-digit';
import { decodeForPipeline } from './preprocess';
import { type NumberCoreResult, preprocessNumberGray } from './preprocess-number-core';
import { PREPROCESS_HASH } from './preprocess-hash';

export const PreprocessNumberOptions = z.object({
  invert: z.boolean().optional(),
  center: z.boolean().default(true),
  limits: ImageLimits.default(DEFAULT_IMAGE_LIMITS),
});
export type PreprocessNumberOptions = z.input<typeof PreprocessNumberOptions>;

/** A box in the uploaded image's pixels (upright, after EXIF orientation), as the API answers it. */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface NumberDigitInput {
  readonly pixels: Float32Array;
  readonly box: PixelBox;
  readonly digitLike: boolean;
  /** Its width over the height of one of the number's digits. */
  readonly aspect: number;
}

/** One place in the number: its ways of being read, each a list of digits left to right (options[0]: one digit). */
export interface NumberSlotInput {
  readonly options: readonly (readonly NumberDigitInput[])[];
  /** Per option, the strokes its cuts cross (0 for the ink whole). */
  readonly crossings: readonly number[];
  /** Width over one digit's height. */
  readonly aspect: number;
}

export interface PreprocessNumberResult {
  /** Left to right. */
  readonly slots: readonly NumberSlotInput[];
  readonly inverted: boolean;
  readonly format: 'png' | 'jpeg';
  /** The upright image's size, the frame the boxes are in. */
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly preprocessHash: string;
}

/**
 * Image bytes -> the number's slots, left to right, each with its ways of being read: one
 * MNIST-style 28x28 input per digit, each with its box in the original image. Decoding and limits are exactly those of `preprocess`; throws the
 * same AppErrors.
 */
export async function preprocessNumber(bytes: Uint8Array, options: PreprocessNumberOptions = {}): Promise<PreprocessNumberResult> {
  const opts = PreprocessNumberOptions.parse(options);
  const { header, image } = await decodeForPipeline(bytes, opts.limits);
  const core: NumberCoreResult = preprocessNumberGray(image, { invert: opts.invert, center: opts.center });
  // The header's size is as stored; EXIF orientation 5-8 turns it a quarter. The working image is
  // upright and keeps the aspect ratio, so it tells which way round the original is.
  const turned = image.width !== image.height && (image.width > image.height) !== (header.width > header.height);
  const imageWidth = turned ? header.height : header.width;
  const imageHeight = turned ? header.width : header.height;
  const sx = imageWidth / image.width;
  const sy = imageHeight / image.height;
  return {
    slots: core.slots.map((slot) => ({
      aspect: slot.aspect,
      crossings: slot.crossings,
      options: slot.options.map((o) => o.map((d) => ({ pixels: d.pixels, digitLike: d.digitLike, aspect: d.aspect, box: toOriginal(d.box, sx, sy, imageWidth, imageHeight) }))),
    })),
    inverted: core.inverted,
    format: header.format,
    imageWidth,
    imageHeight,
    preprocessHash: PREPROCESS_HASH,
  };
}

/** Working-image box (inclusive) -> the original's pixels, widened to whole pixels and kept inside the image. */
function toOriginal(b: Box, sx: number, sy: number, width: number, height: number): PixelBox {
  const x = Math.min(width - 1, Math.max(0, Math.floor(b.minX * sx)));
  const y = Math.min(height - 1, Math.max(0, Math.floor(b.minY * sy)));
  const right = Math.min(width, Math.max(x + 1, Math.ceil((b.maxX + 1) * sx)));
  const bottom = Math.min(height, Math.max(y + 1, Math.ceil((b.maxY + 1) * sy)));
  return { x, y, width: right - x, height: bottom - y };
}
