import sharp from 'sharp';
import yauzl from 'yauzl';
import { preprocess } from '@inkwell/imaging';

export interface DecodeCost {
  readonly images: number;
  /** Wall ms per image, one at a time on an otherwise idle bench process. */
  readonly preprocessMs: number;
  /** Of that, about this much is libvips decoding the JPEG to gray pixels. */
  readonly decodeMs: number;
}

/**
 * What decoding and preprocessing cost per image, measured here on `n` of the ZIP's images one at
 * a time: the whole `preprocess` (what the reader runs: sniff, decode, the pixel stages) and a bare
 * libvips decode to gray of the same bytes. The worker cannot split the two without timing inside
 * @inkwell/imaging, so the bench measures them apart; the difference is the JS pixel stages.
 */
export async function decodeCost(zipPath: string, n: number): Promise<DecodeCost> {
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
  // A first pass warms libvips and the JIT; the second is timed.
  for (const img of images.slice(0, 50)) await preprocess(img);
  let t = performance.now();
  for (const img of images) await preprocess(img);
  const preprocessMs = (performance.now() - t) / images.length;
  t = performance.now();
  for (const img of images) await sharp(img).greyscale().raw().toBuffer();
  const decodeMs = (performance.now() - t) / images.length;
  return { images: images.length, preprocessMs, decodeMs };
}
