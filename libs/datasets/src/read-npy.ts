import { type NpyDescr, type NpyHeaderInfo, parseNpyHeader } from '@inkwell/ml-data';
import { ByteReader, openMaybeGzip, readFileHead } from './byte-reader';
import { IMAGE_BYTES, type RecordEvent, problemEvent } from './digit-record';
import { SNIFF_BYTES } from './sniff-file';

const IMAGE_DTYPES: ReadonlySet<NpyDescr> = new Set(['|u1', '<u1', '<f4', '<f8']);
const INT_DTYPES: ReadonlySet<NpyDescr> = new Set(['|u1', '<u1', '|i1', '<i2', '<u2', '<i4', '<u4', '<i8', '<u8']);

function isImageShape(shape: readonly number[]): boolean {
  const [, a, b, c] = shape;
  return (shape.length === 2 && a === 784) || (shape.length === 3 && a === 28 && b === 28) || (shape.length === 4 && a === 1 && b === 28 && c === 28);
}

/** Reads one value of `descr` at `at` (little-endian, as NumPy writes on every common machine). */
function valueAt(view: DataView, descr: NpyDescr, at: number): number {
  switch (descr) {
    case '|u1': case '<u1': return view.getUint8(at);
    case '|i1': return view.getInt8(at);
    case '<i2': return view.getInt16(at, true);
    case '<u2': return view.getUint16(at, true);
    case '<i4': return view.getInt32(at, true);
    case '<u4': return view.getUint32(at, true);
    case '<i8': return Number(view.getBigInt64(at, true));
    case '<u8': return Number(view.getBigUint64(at, true));
    case '<f4': return view.getFloat32(at, true);
    case '<f8': return view.getFloat64(at, true);
  }
}

async function openBody(path: string, header: NpyHeaderInfo): Promise<ByteReader> {
  const reader = new ByteReader((await openMaybeGzip(path)).stream);
  await reader.skip(header.dataStart);
  return reader;
}

/**
 * Float images in [0,1] are scaled by 255, in [0,255] taken as is (the rule of ml-data's
 * parseNpyPair, 'auto'). Deciding needs the maximum, so float files get a first streaming pass.
 */
async function floatScale(path: string, header: NpyHeaderInfo, count: number): Promise<number> {
  const reader = await openBody(path, header);
  const row = new Uint8Array(IMAGE_BYTES * header.itemSize);
  const view = new DataView(row.buffer);
  let max = 0;
  try {
    for (let i = 0; i < count; i++) {
      if ((await reader.readInto(row)) < row.length) break;
      for (let p = 0; p < IMAGE_BYTES; p++) {
        const v = valueAt(view, header.descr, p * header.itemSize);
        if (v > max) max = v;
      }
    }
  } finally {
    reader.close();
  }
  return max <= 1 ? 255 : 1;
}

/**
 * Streams an images .npy ([N,784], [N,28,28] or [N,1,28,28]; uint8, float32 or float64) and its
 * labels .npy ([N] or [N,1] of integers) side by side, one image at a time.
 */
export async function* readNpyPair(imagesPath: string, labelsPath: string): AsyncGenerator<RecordEvent> {
  const imagesHeader = parseNpyHeader(await readFileHead(imagesPath, SNIFF_BYTES));
  const labelsHeader = parseNpyHeader(await readFileHead(labelsPath, SNIFF_BYTES));
  const shape = imagesHeader.shape;
  if (!isImageShape(shape)) {
    yield problemEvent({ kind: 'wrong_shape', row: null, file: 'images', message: `images have shape ${JSON.stringify(shape)}, expected [N,28,28], [N,784] or [N,1,28,28]` });
    return;
  }
  if (!IMAGE_DTYPES.has(imagesHeader.descr)) {
    yield problemEvent({ kind: 'unsupported_dtype', row: null, file: 'images', message: `images are ${imagesHeader.descr}, expected uint8, float32 or float64` });
    return;
  }
  const ls = labelsHeader.shape;
  if (!(ls.length === 1 || (ls.length === 2 && ls[1] === 1))) {
    yield problemEvent({ kind: 'wrong_shape', row: null, file: 'labels', message: `labels have shape ${JSON.stringify(ls)}, expected [N] or [N,1]` });
    return;
  }
  if (!INT_DTYPES.has(labelsHeader.descr)) {
    yield problemEvent({ kind: 'unsupported_dtype', row: null, file: 'labels', message: `labels are ${labelsHeader.descr}, expected integers` });
    return;
  }
  const imageCount = shape[0] ?? 0;
  const labelCount = ls[0] ?? 0;
  if (imageCount !== labelCount) {
    yield problemEvent({ kind: 'count_mismatch', row: null, file: null, message: `${imageCount} images but ${labelCount} labels; only the first ${Math.min(imageCount, labelCount)} are read` });
  }
  const count = Math.min(imageCount, labelCount);
  const isFloat = imagesHeader.descr === '<f4' || imagesHeader.descr === '<f8';
  const scale = isFloat ? await floatScale(imagesPath, imagesHeader, count) : 1;
  const images = await openBody(imagesPath, imagesHeader);
  const labels = await openBody(labelsPath, labelsHeader);
  const raw = new Uint8Array(IMAGE_BYTES * imagesHeader.itemSize);
  const rawView = new DataView(raw.buffer);
  const labelRaw = new Uint8Array(labelsHeader.itemSize);
  const labelView = new DataView(labelRaw.buffer);
  const pixels = new Uint8Array(IMAGE_BYTES);
  try {
    for (let i = 0; i < count; i++) {
      if ((await images.readInto(raw)) < raw.length) {
        yield problemEvent({ kind: 'truncated', row: i, file: 'images', message: `the images file ends at image ${i}; its header promises ${imageCount}` });
        return;
      }
      if ((await labels.readInto(labelRaw)) < labelRaw.length) {
        yield problemEvent({ kind: 'truncated', row: i, file: 'labels', message: `the labels file ends at label ${i}; its header promises ${labelCount}` });
        return;
      }
      const label = valueAt(labelView, labelsHeader.descr, 0);
      if (!(label >= 0 && label <= 9)) {
        yield problemEvent({ kind: 'label_out_of_range', row: i, file: null, message: `label ${label} at index ${i} is not a digit 0..9` });
        continue;
      }
      const bad = isFloat ? floatToBytes(rawView, imagesHeader.descr, imagesHeader.itemSize, scale, pixels) : (pixels.set(raw), -1);
      if (bad >= 0) {
        yield problemEvent({ kind: 'pixel_out_of_range', row: i, file: null, message: `image ${i}: pixel ${bad} is ${valueAt(rawView, imagesHeader.descr, bad * imagesHeader.itemSize)}, outside ${scale === 255 ? '[0,1]' : '[0,255]'}` });
        continue;
      }
      yield { type: 'record', record: { row: i, file: null, label, pixels } };
    }
  } finally {
    images.close();
    labels.close();
  }
}

/** Converts one float image to bytes; returns the first bad pixel's index, or -1. */
function floatToBytes(view: DataView, descr: NpyDescr, itemSize: number, scale: number, out: Uint8Array): number {
  for (let p = 0; p < IMAGE_BYTES; p++) {
    const v = valueAt(view, descr, p * itemSize) * scale;
    if (!(v >= 0 && v <= 255 + 1e-6)) return p;
    out[p] = Math.round(v);
  }
  return -1;
}
