import { isAppError } from '@inkwell/contracts';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits, preprocess } from '@inkwell/imaging';
import yauzl, { type Entry } from 'yauzl';
import { IMAGE_BYTES, type RecordEvent, problemEvent } from './digit-record';

/** Finder and macOS archive litter, skipped without a word. */
const IGNORED = /(^|\/)(__MACOSX\/|\.[^/]*$|Thumbs\.db$)/;

/** The class an entry belongs to: its parent folder, when that is a single digit (any depth above it). */
export function classOfEntry(fileName: string): number | null {
  const parts = fileName.split('/');
  const parent = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  return parent !== undefined && /^[0-9]$/.test(parent) ? Number(parent) : null;
}

export const isIgnoredEntry = (fileName: string): boolean => fileName.endsWith('/') || IGNORED.test(fileName);

async function readEntry(zip: yauzl.ZipFile, entry: Entry, maxBytes: number): Promise<Uint8Array> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    size += b.length;
    // yauzl checks the declared size; this guards against an entry lying about it.
    if (size > maxBytes) {
      stream.destroy();
      throw new Error(`entry is over ${maxBytes} bytes`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/**
 * Walks a ZIP of class folders entry by entry (yauzl, lazily: one entry in memory at a time) and
 * runs each image through the /v1/read preprocessing, so a digit trains as it will be served
 * (train/infer parity). The 0..1 float output is stored as bytes (x 255, rounded) like MNIST.
 */
export async function* readZip(path: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): AsyncGenerator<RecordEvent> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: true });
  } catch (err) {
    yield problemEvent({ kind: 'truncated', row: null, file: null, message: `the ZIP cannot be opened: ${(err as Error).message}` });
    return;
  }
  const pixels = new Uint8Array(IMAGE_BYTES);
  const entries = zip.eachEntry();
  try {
    for (;;) {
      // Only the archive's own errors (a cut or corrupt central directory) end the walk as
      // `truncated`; a bug in preprocessing still throws.
      let next: IteratorResult<Entry>;
      try {
        next = await entries.next();
      } catch (err) {
        yield problemEvent({ kind: 'truncated', row: null, file: null, message: `the ZIP could not be read to the end: ${(err as Error).message}` });
        return;
      }
      if (next.done === true) return;
      const entry = next.value;
      const name = entry.fileName;
      if (isIgnoredEntry(name)) continue;
      const label = classOfEntry(name);
      if (label === null) {
        yield problemEvent({ kind: 'unknown_class_folder', row: null, file: name, message: `${name} is not inside a class folder 0/ .. 9/` });
        continue;
      }
      if (entry.uncompressedSize > limits.maxBytes) {
        yield problemEvent({ kind: 'unreadable_image', row: null, file: name, message: `${name} is ${entry.uncompressedSize} bytes, over the ${limits.maxBytes}-byte image limit` });
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = await readEntry(zip, entry, limits.maxBytes);
      } catch (err) {
        yield problemEvent({ kind: 'unreadable_image', row: null, file: name, message: `${name} cannot be extracted: ${(err as Error).message}` });
        continue;
      }
      try {
        const pre = await preprocess(bytes, { center: true, limits });
        for (let p = 0; p < IMAGE_BYTES; p++) pixels[p] = Math.round((pre.pixels[p] ?? 0) * 255);
      } catch (err) {
        if (!isAppError(err)) throw err;
        yield problemEvent({ kind: 'unreadable_image', row: null, file: name, message: `${name}: ${err.message}` });
        continue;
      }
      yield { type: 'record', record: { row: null, file: name, label, pixels } };
    }
  } finally {
    zip.close();
  }
}
