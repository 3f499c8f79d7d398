import { z } from 'zod';
import { decodeToGray } from './decode-image';
import { DEFAULT_IMAGE_LIMITS, ImageLimits, checkByteSize, checkDimensions } from './image-limits';
import { PIPELINE_PARAMS } from './pipeline-params';
import { PREPROCESS_HASH } from './preprocess-hash';
import { type CoreResult, preprocessGray } from './preprocess-core';
import { type ImageHeader, sniffImage } from './sniff-image';
import type { GrayImage } from './gray-image';
import { renderPreview } from './visualize';

/** Seed 004's request options, plus the limits (from the service's config). */
export const PreprocessOptions = z.object({
  /** true: the image is light-on-dark, invert it; false: never invert; absent: auto-detect. */
  invert: z.boolean().optional(),
  /** Centre by centre of mass like MNIST (default); false centres the digit's box. */
  center: z.boolean().default(true),
  /** Also return a 112x112 PNG of the 28x28 result. */
  visualize: z.boolean().default(false),
  limits: ImageLimits.default(DEFAULT_IMAGE_LIMITS),
});
export type PreprocessOptions = z.input<typeof PreprocessOptions>;

export interface PreprocessResult extends CoreResult {
  readonly format: 'png' | 'jpeg';
  /** Stored dimensions from the header (before EXIF orientation). */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** Size the pixel stages worked at (after orientation and any early shrink). */
  readonly workingWidth: number;
  readonly workingHeight: number;
  readonly downscaled: boolean;
  readonly centered: boolean;
  /** 112x112 grayscale PNG of the model input (white ink on black), when `visualize` was asked. */
  readonly visualPng: Uint8Array | null;
  readonly preprocessHash: string;
}

/**
 * Bytes -> the working gray image both single-digit and number reading start from: the format
 * from the bytes, the size limits checked on the header before anything is decoded.
 */
export async function decodeForPipeline(bytes: Uint8Array, limits: ImageLimits): Promise<{ header: ImageHeader; image: GrayImage; downscaled: boolean }> {
  checkByteSize(bytes.length, limits);
  const header = sniffImage(bytes);
  checkDimensions(header.width, header.height, limits);
  const { image, downscaled } = await decodeToGray(bytes, header, limits, PIPELINE_PARAMS.working);
  return { header, image, downscaled };
}

/**
 * Image bytes -> MNIST-style 28x28 ink intensities. The format is taken from the bytes, and the
 * size limits are checked on the header, before anything is decoded. Throws AppError with
 * invalid_image, unsupported_media_type, too_large, bad_dimensions or preprocessing_failed.
 */
export async function preprocess(bytes: Uint8Array, options: PreprocessOptions = {}): Promise<PreprocessResult> {
  const opts = PreprocessOptions.parse(options);
  const { header, image, downscaled } = await decodeForPipeline(bytes, opts.limits);
  const core = preprocessGray(image, { invert: opts.invert, center: opts.center });
  return {
    ...core,
    format: header.format,
    sourceWidth: header.width,
    sourceHeight: header.height,
    workingWidth: image.width,
    workingHeight: image.height,
    downscaled,
    centered: opts.center,
    visualPng: opts.visualize ? await renderPreview(core.pixels) : null,
    preprocessHash: PREPROCESS_HASH,
  };
}
