import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type DigitSet, encodeIdxHeader, encodeNpy, loadMnist, subset } from '@inkwell/ml-data';
import sharp from 'sharp';
import type { UploadedFile } from '../detected-dataset';
import { buildZip, type ZipEntryInput } from './zip-writer';

/** The first `count` MNIST test digits: the material every dataset fixture is made of. */
export function mnistSample(count: number, offset = 0): DigitSet {
  return subset(loadMnist('test'), Array.from({ length: count }, (_, i) => offset + i));
}

const concat = (...parts: Uint8Array[]): Buffer => Buffer.concat(parts);

export function idxImagesBytes(set: DigitSet): Buffer {
  return concat(encodeIdxHeader([set.count, 28, 28]), set.pixels);
}

export function idxLabelsBytes(set: DigitSet): Buffer {
  return concat(encodeIdxHeader([set.count]), set.labels);
}

/** An IDX pair as MNIST ships it (gzipped when asked). */
export function writeIdxPair(dir: string, set: DigitSet, options: { gzip?: boolean; images?: Uint8Array; labels?: Uint8Array } = {}): UploadedFile[] {
  const ext = options.gzip ? '.gz' : '';
  const pack = (b: Uint8Array): Uint8Array => (options.gzip ? gzipSync(b) : b);
  const images = join(dir, `images-idx3-ubyte${ext}`);
  const labels = join(dir, `labels-idx1-ubyte${ext}`);
  writeFileSync(images, pack(options.images ?? idxImagesBytes(set)));
  writeFileSync(labels, pack(options.labels ?? idxLabelsBytes(set)));
  return [{ path: images, name: `train-images-idx3-ubyte${ext}` }, { path: labels, name: `train-labels-idx1-ubyte${ext}` }];
}

/** `label,p0..p783` lines, as the popular MNIST CSV files hold them. */
export function csvLines(set: DigitSet): string[] {
  return Array.from({ length: set.count }, (_, i) => [set.labels[i], ...set.pixels.subarray(i * 784, (i + 1) * 784)].join(','));
}

export const CSV_HEADER = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');

export function writeCsv(dir: string, lines: readonly string[], options: { header?: boolean; name?: string } = {}): UploadedFile {
  const path = join(dir, options.name ?? 'digits.csv');
  writeFileSync(path, `${options.header ? `${CSV_HEADER}\n` : ''}${lines.join('\n')}\n`);
  return { path, name: options.name ?? 'digits.csv' };
}

/** An NPY pair: images uint8 [N,28,28] or float32 [N,784] in [0,1]; labels int64. */
export function writeNpyPair(dir: string, set: DigitSet, options: { dtype?: 'uint8' | 'float32'; shape?: number[] } = {}): UploadedFile[] {
  const images = join(dir, 'x.npy');
  const labels = join(dir, 'y.npy');
  if (options.dtype === 'float32') {
    const f = Float32Array.from(set.pixels, (v) => v / 255);
    writeFileSync(images, encodeNpy('<f4', options.shape ?? [set.count, 784], f));
  } else {
    writeFileSync(images, encodeNpy('|u1', options.shape ?? [set.count, 28, 28], set.pixels));
  }
  writeFileSync(labels, encodeNpy('<i8', [set.count], BigInt64Array.from(set.labels, (l) => BigInt(l))));
  return [{ path: images, name: 'x_train.npy' }, { path: labels, name: 'y_train.npy' }];
}

/**
 * Digit i as a PNG the way a person would scan it: dark ink on white paper, and every third one
 * enlarged to 84x84 (ZIP images may be any size).
 */
export async function digitPng(set: DigitSet, i: number): Promise<Buffer> {
  const inverted = Buffer.from(set.pixels.subarray(i * 784, (i + 1) * 784).map((v) => 255 - v));
  let img = sharp(inverted, { raw: { width: 28, height: 28, channels: 1 } });
  if (i % 3 === 0) img = img.resize(84, 84, { kernel: 'nearest' });
  return img.png().toBuffer();
}

/** Entries `<label>/<i>.png`, in index order. */
export async function zipEntries(set: DigitSet): Promise<ZipEntryInput[]> {
  const entries: ZipEntryInput[] = [];
  for (let i = 0; i < set.count; i++) entries.push({ name: `${set.labels[i]}/${String(i).padStart(5, '0')}.png`, data: await digitPng(set, i) });
  return entries;
}

export function writeZip(dir: string, entries: readonly ZipEntryInput[], name = 'digits.zip'): UploadedFile {
  const path = join(dir, name);
  writeFileSync(path, buildZip(entries));
  return { path, name };
}
