import { parseIdxHeader } from '@inkwell/ml-data';
import { ByteReader, openMaybeGzip } from './byte-reader';
import { IMAGE_BYTES, IMAGE_SIDE, type RecordEvent, problemEvent } from './digit-record';

/** Reads an IDX header from the front of a stream (its size depends on the dimension count). */
async function readHeader(reader: ByteReader): Promise<readonly number[] | null> {
  const fixed = new Uint8Array(4);
  if ((await reader.readInto(fixed)) < 4) return null;
  const ndim = fixed[3] ?? 0;
  const rest = new Uint8Array(4 * ndim);
  if ((await reader.readInto(rest)) < rest.length) return null;
  const whole = new Uint8Array(4 + rest.length);
  whole.set(fixed);
  whole.set(rest, 4);
  return parseIdxHeader(whole).dims;
}

/**
 * Streams an IDX images file (N x 28 x 28) and its labels file (N) side by side, one image at a
 * time, gunzipping either when it is gzip. Problems: a header that is not 28x28 (wrong_shape),
 * counts that differ (count_mismatch: the shorter wins), labels above 9, files that end early.
 */
export async function* readIdxPair(imagesPath: string, labelsPath: string): AsyncGenerator<RecordEvent> {
  const images = new ByteReader((await openMaybeGzip(imagesPath)).stream);
  const labels = new ByteReader((await openMaybeGzip(labelsPath)).stream);
  try {
    const imageDims = await readHeader(images);
    const labelDims = await readHeader(labels);
    if (imageDims === null || labelDims === null) {
      yield problemEvent({ kind: 'truncated', row: null, file: imageDims === null ? 'images' : 'labels', message: 'the file ends inside its IDX header' });
      return;
    }
    const [count = 0, rows, cols] = imageDims;
    if (imageDims.length !== 3 || rows !== IMAGE_SIDE || cols !== IMAGE_SIDE) {
      yield problemEvent({ kind: 'wrong_shape', row: null, file: 'images', message: `images have shape ${JSON.stringify(imageDims)}, expected [N, 28, 28]` });
      return;
    }
    if (labelDims.length !== 1) {
      yield problemEvent({ kind: 'wrong_shape', row: null, file: 'labels', message: `labels have shape ${JSON.stringify(labelDims)}, expected [N]` });
      return;
    }
    const labelCount = labelDims[0] ?? 0;
    if (labelCount !== count) {
      yield problemEvent({ kind: 'count_mismatch', row: null, file: null, message: `${count} images but ${labelCount} labels; only the first ${Math.min(count, labelCount)} are read` });
    }
    yield* readBodies(images, labels, Math.min(count, labelCount));
  } finally {
    images.close();
    labels.close();
  }
}

async function* readBodies(images: ByteReader, labels: ByteReader, count: number): AsyncGenerator<RecordEvent> {
  const pixels = new Uint8Array(IMAGE_BYTES);
  const label = new Uint8Array(1);
  for (let i = 0; i < count; i++) {
    const got = await readOrTruncated(images, pixels);
    if (got < IMAGE_BYTES) {
      yield problemEvent({ kind: 'truncated', row: i, file: 'images', message: `the images file ends at image ${i}; its header promises ${count}` });
      return;
    }
    if ((await readOrTruncated(labels, label)) < 1) {
      yield problemEvent({ kind: 'truncated', row: i, file: 'labels', message: `the labels file ends at label ${i}; its header promises ${count}` });
      return;
    }
    const l = label[0] ?? 0;
    if (l > 9) {
      yield problemEvent({ kind: 'label_out_of_range', row: i, file: null, message: `label ${l} at index ${i} is not a digit 0..9` });
      continue;
    }
    yield { type: 'record', record: { row: i, file: null, label: l, pixels } };
  }
}

/** A gzip stream cut short errors instead of ending: both are a truncated file. */
async function readOrTruncated(reader: ByteReader, out: Uint8Array): Promise<number> {
  try {
    return await reader.readInto(out);
  } catch {
    return -1;
  }
}

