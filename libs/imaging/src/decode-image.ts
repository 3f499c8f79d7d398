import { AppError } from '@inkwell/contracts';
import sharp, { type OutputInfo } from 'sharp';
import { decodeBaselineJpegGray } from './baseline-jpeg-gray';
import { cmykToGray, toGray } from './gray-convert';
import type { GrayImage } from './gray-image';
import { type ImageLimits, checkWholeDecode } from './image-limits';
import type { PipelineParams } from './pipeline-params';
import type { ImageHeader } from './sniff-image';

export interface DecodedImage {
  readonly image: GrayImage;
  /** True when sharp shrank the image to the working size. */
  readonly downscaled: boolean;
}

/**
 * Decodes PNG/JPEG bytes (already sniffed and size-checked; the decoder's whole-image buffer, for
 * interlaced and progressive files, is checked here) into 8-bit gray, upright per EXIF,
 * with alpha composited onto white. sharp does the decode, EXIF orientation, colour management
 * (CMYK, 16-bit, palettes all come out as 8-bit sRGB) and the early shrink (for a JPEG, while
 * decoding: see below); the gray conversion and alpha flattening happen here in one pass over its
 * raw output, which costs less than asking libvips for them (measured: ~0.4 ms per small image).
 */
export async function decodeToGray(bytes: Uint8Array, header: ImageHeader, limits: ImageLimits, working: PipelineParams['working']): Promise<DecodedImage> {
  checkWholeDecode(header, limits);
  const downscaled = Math.max(header.width, header.height) > working.maxSide;
  if (header.format === 'jpeg' && !downscaled) {
    // A small baseline JPEG (a scan in a batch) decodes here, bit for bit as sharp would, at a
    // fraction of sharp's per-call cost; the decoder declines any other JPEG (baseline-jpeg-gray.ts).
    const image = decodeBaselineJpegGray(bytes);
    if (image !== null) return { image, downscaled };
  }
  // CMYK JPEGs: sharp's ICC conversion to sRGB costs ~100 ms per image (measured); the raw CMYK
  // samples converted naively below land within ~6 gray levels of it, which thresholding ignores.
  const cmyk = header.format === 'jpeg' && header.components === 4;
  // Orientation lives only in EXIF (see ImageHeader.hasExif); without it, autoOrient would only add a copy.
  let pipeline = sharp(bytes, { failOn: 'truncated', limitInputPixels: limits.maxPixels, autoOrient: header.hasExif });
  if (cmyk) pipeline = pipeline.pipelineColourspace('cmyk').toColourspace('cmyk');
  if (downscaled) {
    // The resize sits in the decode's own pipeline, so libjpeg decodes a large JPEG at 1/2, 1/4 or
    // 1/8 scale (shrink-on-load; fastShrinkOnLoad takes the largest factor that keeps the image at
    // or above the target) and only the rest is resampled. A 4032x3024 phone photo is then decoded
    // as 504x378: measured ~33 ms of CPU and ~20 MB peak RSS, against ~140 ms and ~125 MB decoded
    // whole (bench/phone-photo; phone-photo.test.ts keeps it under half). EXIF rotation still applies (sharp swaps the target for 90/270 degrees).
    // Not for CMYK: a pipeline colourspace turns shrink-on-load off (sharp's pipeline.cc), which the
    // pixel cap bounds; phones write YCbCr.
    pipeline = pipeline.resize({ width: working.maxSide, height: working.maxSide, fit: 'inside', withoutEnlargement: true, kernel: working.kernel, fastShrinkOnLoad: true });
  }
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await pipeline.raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (/pixel limit/i.test(reason)) {
      throw new AppError('too_large', `Image exceeds ${limits.maxPixels} pixels.`, { format: header.format });
    }
    throw new AppError('invalid_image', `Failed to decode image: the ${header.format.toUpperCase()} data is corrupt or truncated.`, { format: header.format });
  }
  const { data, info } = raw;
  // One byte per sample: sharp converts 16-bit and CMYK input to 8-bit sRGB/gray for raw output.
  if (data.length !== info.width * info.height * info.channels) throw new Error('sharp raw output is not 8-bit');
  const pixels = info.width * info.height;
  const gray = cmyk && info.channels === 4 ? cmykToGray(data, pixels) : toGray(data, pixels, info.channels);
  return { image: { data: gray, width: info.width, height: info.height }, downscaled };
}
