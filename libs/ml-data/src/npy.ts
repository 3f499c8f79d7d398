import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { DigitSet } from './idx';
import { DatasetFormatError } from './errors';

/** The dtypes we accept, as NumPy writes them in the header's `descr`. */
const NpyDescr = z.enum(['|u1', '<u1', '|i1', '<i2', '<i4', '<i8', '<u2', '<u4', '<u8', '<f4', '<f8']);
export type NpyDescr = z.infer<typeof NpyDescr>;

const NpyHeader = z.object({
  descr: NpyDescr,
  fortran_order: z.literal(false, { message: 'only C-order arrays are supported (fortran_order must be False)' }),
  shape: z.array(z.number().int().nonnegative()),
});

export interface NpyArray {
  readonly descr: NpyDescr;
  readonly shape: readonly number[];
  /** The values as float64 regardless of dtype (at most 2^53 for 64-bit ints, which digits never reach). */
  readonly values: Float64Array | Uint8Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** Turns the Python-literal header dict into JSON (True/False, tuples, single quotes). */
function headerToJson(text: string): unknown {
  const json = text
    .trim()
    .replace(/'/g, '"')
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\(/g, '[')
    .replace(/\)/g, ']')
    .replace(/,\s*([\]}])/g, '$1');
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new DatasetFormatError(`unreadable NPY header: ${text.trim().slice(0, 120)}`);
  }
}

/** An NPY header: what the array is and where its body starts. */
export interface NpyHeaderInfo {
  readonly descr: NpyDescr;
  readonly shape: readonly number[];
  /** Bytes per value (1, 2, 4 or 8). */
  readonly itemSize: number;
  /** Byte offset of the first value. */
  readonly dataStart: number;
}

/**
 * Reads the header alone from the first bytes of a .npy file (format versions 1.0 to 3.0), so a
 * large array can be checked and then streamed without loading its body.
 */
export function parseNpyHeader(buf: Uint8Array): NpyHeaderInfo {
  if (buf.byteLength < 10 || MAGIC.some((b, i) => buf[i] !== b)) throw new DatasetFormatError('not an NPY file (bad magic)');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const major = view.getUint8(6);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (buf.byteLength < 12) throw new DatasetFormatError('truncated NPY header');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new DatasetFormatError(`unsupported NPY format version ${major}`);
  }
  const dataStart = headerStart + headerLen;
  if (buf.byteLength < dataStart) throw new DatasetFormatError('truncated NPY header');
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(buf.subarray(headerStart, dataStart));
  const parsed = NpyHeader.safeParse(headerToJson(headerText));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetFormatError(`unsupported NPY header (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`);
  }
  return { descr: parsed.data.descr, shape: parsed.data.shape, itemSize: Number(parsed.data.descr.slice(2)), dataStart };
}

/** Parses one .npy file (format versions 1.0 to 3.0). */
export function parseNpy(buf: Uint8Array): NpyArray {
  const { dataStart, ...header } = parseNpyHeader(buf);
  const count = header.shape.reduce((a, b) => a * b, 1);
  const itemSize = header.itemSize;
  const body = buf.subarray(dataStart);
  if (body.byteLength !== count * itemSize) {
    throw new DatasetFormatError(`NPY body is ${body.byteLength} bytes, shape ${JSON.stringify(header.shape)} of ${header.descr} needs ${count * itemSize}`);
  }
  if (itemSize === 1 && header.descr !== '|i1') return { descr: header.descr, shape: header.shape, values: body };
  // Copy to an aligned buffer: the body offset need not be a multiple of the item size.
  const aligned = new Uint8Array(body).buffer;
  const values = new Float64Array(count);
  switch (header.descr) {
    case '|i1': values.set(new Int8Array(aligned)); break;
    case '<i2': values.set(new Int16Array(aligned)); break;
    case '<u2': values.set(new Uint16Array(aligned)); break;
    case '<i4': values.set(new Int32Array(aligned)); break;
    case '<u4': values.set(new Uint32Array(aligned)); break;
    case '<f4': values.set(new Float32Array(aligned)); break;
    case '<f8': values.set(new Float64Array(aligned)); break;
    case '<i8': { const a = new BigInt64Array(aligned); for (let i = 0; i < count; i++) values[i] = Number(a[i]); break; }
    case '<u8': { const a = new BigUint64Array(aligned); for (let i = 0; i < count; i++) values[i] = Number(a[i]); break; }
    default: throw new DatasetFormatError(`unsupported NPY dtype ${header.descr}`);
  }
  return { descr: header.descr, shape: header.shape, values };
}

const IMAGE_DTYPES = new Set<NpyDescr>(['|u1', '<u1', '<f4', '<f8']);

/**
 * How float pixels map to bytes: 'unit' means [0,1] (x255), 'byte' means [0,255] as is,
 * 'auto' picks 'unit' when no value exceeds 1.
 */
export type FloatPixelScale = 'unit' | 'byte' | 'auto';

function imageCount(shape: readonly number[]): number {
  const [n, a, b, c] = shape;
  const ok =
    (shape.length === 2 && a === 784) ||
    (shape.length === 3 && a === 28 && b === 28) ||
    (shape.length === 4 && a === 1 && b === 28 && c === 28);
  if (!ok || n === undefined) {
    throw new DatasetFormatError(`images must have shape [N,784], [N,28,28] or [N,1,28,28], found ${JSON.stringify(shape)}`);
  }
  return n;
}

/**
 * Builds a DigitSet from an images array (uint8, float32 or float64; [N,784], [N,28,28] or
 * [N,1,28,28]) and a labels array ([N] or [N,1] of integers 0..9).
 */
export function parseNpyPair(imagesBuf: Uint8Array, labelsBuf: Uint8Array, scale: FloatPixelScale = 'auto'): DigitSet {
  const images = parseNpy(imagesBuf);
  const labelsArr = parseNpy(labelsBuf);
  if (!IMAGE_DTYPES.has(images.descr)) throw new DatasetFormatError(`images must be uint8, float32 or float64, found ${images.descr}`);
  const count = imageCount(images.shape);
  if (!(labelsArr.shape.length === 1 || (labelsArr.shape.length === 2 && labelsArr.shape[1] === 1)) || labelsArr.shape[0] !== count) {
    throw new DatasetFormatError(`labels must have shape [${count}] to match the images, found ${JSON.stringify(labelsArr.shape)}`);
  }
  if (labelsArr.descr === '<f4' || labelsArr.descr === '<f8') throw new DatasetFormatError('labels must be integers, found floats');
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const l = labelsArr.values[i] as number;
    if (!(l >= 0 && l <= 9)) throw new DatasetFormatError(`label ${l} at index ${i} is not a digit`);
    labels[i] = l;
  }
  return { count, rows: 28, cols: 28, pixels: toBytes(images.values, scale), labels };
}

function toBytes(values: Float64Array | Uint8Array, scale: FloatPixelScale): Uint8Array {
  if (values instanceof Uint8Array) return values;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v) || v < 0) throw new DatasetFormatError(`pixel ${v} at flat index ${i} is negative or not finite`);
    if (v > max) max = v;
  }
  const factor = scale === 'unit' || (scale === 'auto' && max <= 1) ? 255 : 1;
  if (max * factor > 255 + 1e-6) throw new DatasetFormatError(`pixel values reach ${max}, above the ${factor === 255 ? '[0,1]' : '[0,255]'} range`);
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round((values[i] as number) * factor);
  return out;
}

/** Reads an images .npy and a labels .npy from disk. */
export function loadNpyFiles(imagesPath: string, labelsPath: string, scale: FloatPixelScale = 'auto'): DigitSet {
  return parseNpyPair(readFileSync(imagesPath), readFileSync(labelsPath), scale);
}
