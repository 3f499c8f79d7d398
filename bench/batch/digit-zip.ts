import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { ZipFile } from 'yazl';
import { Rng, digitAt, loadMnist } from '@inkwell/ml-data';

export interface DigitZip {
  readonly path: string;
  readonly bytes: number;
  readonly images: number;
  /** Seconds spent generating it now (0 when an earlier run's file was reused). */
  readonly generatedS: number;
}

/** Folders a scanning team might use; about a quarter of the images sit at the archive's root. */
const FOLDERS = ['', 'scans/2026-11-03/', 'scans/2026-11-04/', 'forms/batch-a/', 'forms/batch-b/page-2/', 'intake/'];

/**
 * One small digit JPEG as a scanner or form reader would send it: an MNIST test digit, dark ink on
 * light paper (paper tone and ink darkness vary), 28 to 64 pixels a side, JPEG quality 60 to 95.
 */
async function digitJpeg(ink: Uint8Array, rng: Rng): Promise<Buffer> {
  const paper = 200 + rng.int(56);
  const darkest = rng.int(70);
  const px = Buffer.alloc(784);
  // ink 0..255 -> paper..darkest
  for (let i = 0; i < 784; i++) px[i] = Math.round(paper - ((paper - darkest) * (ink[i] ?? 0)) / 255);
  const side = 28 + rng.int(37);
  return sharp(px, { raw: { width: 28, height: 28, channels: 1 } })
    .resize(side, side, { kernel: 'cubic' })
    .jpeg({ quality: 60 + rng.int(36), chromaSubsampling: '4:2:0' })
    .toBuffer();
}

/**
 * `count` digit JPEGs in one ZIP at `path`, named `<folder>/<index>_label-<digit>.jpg` (the label
 * lets the bench check the answers). Entries are stored, not deflated: JPEGs do not compress, as
 * archivers notice. Built once per (count, seed) and reused: making 50,000 JPEGs takes a while
 * on two cores, and it is not what the bench measures.
 */
export async function digitZip(path: string, count: number, seed: number): Promise<DigitZip> {
  if (existsSync(path)) return { path, bytes: (await stat(path)).size, images: count, generatedS: 0 };
  const started = performance.now();
  await mkdir(dirname(path), { recursive: true });
  const mnist = loadMnist('test');
  const rng = new Rng(seed);
  const zip = new ZipFile();
  const partial = `${path}.partial-${process.pid}`;
  const written = pipeline(zip.outputStream, createWriteStream(partial));
  for (let i = 0; i < count; i++) {
    const at = rng.int(mnist.count);
    const label = mnist.labels[at] ?? 0;
    const folder = FOLDERS[rng.int(FOLDERS.length)] ?? '';
    zip.addBuffer(await digitJpeg(digitAt(mnist, at), rng), `${folder}${String(i).padStart(5, '0')}_label-${label}.jpg`, { compress: false });
  }
  zip.end();
  await written;
  await rename(partial, path);
  return { path, bytes: (await stat(path)).size, images: count, generatedS: (performance.now() - started) / 1000 };
}

/** The digit a generated entry's name says it shows, or null for another name. */
export function labelOf(name: string): number | null {
  const m = /_label-(\d)\.jpg$/.exec(name);
  return m ? Number(m[1]) : null;
}
