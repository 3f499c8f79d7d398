import sharp from 'sharp';
import yauzl from 'yauzl';
import { decodeBaselineJpegGray, preprocess, preprocessGray, toGray, type GrayImage } from '@inkwell/imaging';

export interface DecodeCost {
  readonly images: number;
  /** CPU ms per image (user + system, every thread), one image at a time, for the whole `preprocess`. */
  readonly preprocessMs: number;
  /** Of that, decoding to gray as `preprocess` does now (JS for small baseline JPEGs, else sharp). */
  readonly decodeMs: number;
  /** sharp's decode to gray of the same bytes (what `preprocess` used for every image before). */
  readonly sharpDecodeMs: number;
  /** The JS pixel stages (`preprocessGray`) on the decoded images. */
  readonly pixelMs: number;
  /** Images the JS decoder took (the rest fell back to sharp). */
  readonly jsDecoded: number;
  /** Images whose JS and sharp decodes differ in any pixel (must be 0). */
  readonly mismatched: number;
}

/** The first `n` images of a ZIP, in order. */
export async function zipImages(zipPath: string, n: number): Promise<Buffer[]> {
  const images: Buffer[] = [];
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const chunks: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
      images.push(Buffer.concat(chunks));
      if (images.length >= n) break;
    }
  } finally {
    zip.close();
  }
  return images;
}

async function sharpGray(bytes: Buffer): Promise<GrayImage> {
  const { data, info } = await sharp(bytes, { failOn: 'truncated' }).raw().toBuffer({ resolveWithObject: true });
  return { data: toGray(data, info.width * info.height, info.channels), width: info.width, height: info.height };
}

/** CPU ms (user + system, all threads: libvips's included) per item of `fn` over `items`. */
async function cpuMsPer<T>(items: readonly T[], fn: (item: T) => unknown): Promise<number> {
  const before = process.cpuUsage();
  for (const item of items) await fn(item);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / items.length;
}

/**
 * What decoding and preprocessing cost per image, as CPU time, measured here on `n` of the ZIP's
 * images one at a time: the whole `preprocess` (sniff, decode, the pixel stages), its decode alone,
 * sharp's decode of the same bytes, and the pixel stages alone. The worker cannot split these
 * without timing inside @inkwell/imaging, so the bench measures them apart. CPU time rather than
 * wall time, because the bench machine is shared; it counts libvips's threads too.
 */
export async function decodeCost(zipPath: string, n: number): Promise<DecodeCost> {
  const images = await zipImages(zipPath, n);
  const decoded: GrayImage[] = [];
  let jsDecoded = 0;
  let mismatched = 0;
  for (const img of images) {
    const js = decodeBaselineJpegGray(img);
    const viaSharp = await sharpGray(img);
    if (js !== null) {
      jsDecoded++;
      if (js.width !== viaSharp.width || js.height !== viaSharp.height || !Buffer.from(js.data).equals(Buffer.from(viaSharp.data))) mismatched++;
    }
    decoded.push(js ?? viaSharp);
  }
  // A first pass warms libvips and the JIT; the second is timed.
  for (const img of images.slice(0, 200)) await preprocess(img);
  const preprocessMs = await cpuMsPer(images, (img) => preprocess(img));
  const decodeMs = await cpuMsPer(images, async (img) => decodeBaselineJpegGray(img) ?? (await sharpGray(img)));
  const sharpDecodeMs = await cpuMsPer(images, (img) => sharpGray(img));
  const pixelMs = await cpuMsPer(decoded, (gray) => {
    try {
      return preprocessGray(gray, { center: true });
    } catch {
      return null; // no digit: the reader answers that too, at the same cost
    }
  });
  return { images: images.length, preprocessMs, decodeMs, sharpDecodeMs, pixelMs, jsDecoded, mismatched };
}
