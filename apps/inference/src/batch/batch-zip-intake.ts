import { setImmediate } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import yauzl, { type Entry } from 'yauzl';
import { AppError } from '@inkwell/contracts';
import { PackWriter } from './item-pack';
import { ZipWindowReader } from './zip-window-reader';

export interface IntakeLimits {
  readonly maxImages: number;
  readonly maxUploadBytes: number;
  readonly maxUncompressedBytes: number;
  readonly maxRatio: number;
  /** One image's limit (as /v1/read's): a bigger entry or file is the item error `too_large`. */
  readonly maxImageBytes: number;
}

/** One item of a job as intake leaves it: stored as `in/<idx>`, or refused with a per-item code. */
export interface IntakeItem {
  readonly idx: number;
  readonly name: string;
  readonly error: 'too_large' | 'invalid_image' | null;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * The longest entry name taken, in UTF-8 bytes (Linux's PATH_MAX is 4096; real archives stay far
 * below). A longer one refuses the whole archive, as the other name checks do: a name is stored in
 * the item row, the CSV and the JSON, and nothing that long is a digit image's path.
 */
export const MAX_ENTRY_NAME_BYTES = 1024;

/** Why a name could write outside the job folder when extracted naively (zip slip), or be refused for its length; null when fine. */
export function unsafeEntryName(name: string): string | null {
  if (name.length === 0) return 'an empty name';
  if (Buffer.byteLength(name, 'utf8') > MAX_ENTRY_NAME_BYTES) return `a name over ${MAX_ENTRY_NAME_BYTES} bytes`;
  if (name.includes('\u0000')) return 'a NUL character';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'an absolute path';
  if (name.split('/').includes('..')) return 'a ".." segment';
  return null;
}

/** The entry's name as text; backslashes (Windows archivers) read as folder separators before the checks. */
function entryName(entry: Entry): string {
  const raw: unknown = entry.fileName;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, bytes, entry.extraFields, false);
}

const isLink = (entry: Entry): boolean => ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;

/**
 * The most compressed bytes an entry may take for what it declares: deflate's worst case (stored
 * blocks, ~5 bytes per 64 KiB, under 1/1000) plus room for headers and an encryption header; a
 * stored entry exactly its size. A larger range is no archiver's output, and reading it would cost
 * memory and time out of proportion to the entry (a small declared entry over a huge range).
 */
export function maxCompressedBytes(entry: Pick<Entry, 'compressionMethod' | 'uncompressedSize'> & { encrypted: boolean }): number {
  const overhead = entry.encrypted ? 64 : 0;
  if (entry.compressionMethod === 0) return entry.uncompressedSize + overhead;
  return entry.uncompressedSize + Math.ceil(entry.uncompressedSize / 1000) + 64 + overhead;
}

function checkCompressedSize(entry: Entry, name: string): void {
  const allowed = maxCompressedBytes({ compressionMethod: entry.compressionMethod, uncompressedSize: entry.uncompressedSize, encrypted: entry.isEncrypted() });
  if (entry.compressedSize <= allowed) return;
  throw new AppError('invalid_archive', `The ZIP entry "${name}" takes ${entry.compressedSize} compressed bytes for ${entry.uncompressedSize} bytes of content; nothing was extracted`, {
    entry: name,
    compressed_bytes: entry.compressedSize,
    uncompressed_bytes: entry.uncompressedSize,
  });
}

const tooLarge = (message: string, details: Record<string, unknown>): AppError => new AppError('too_large', message, details);

const open = async (path: string): Promise<{ zip: yauzl.ZipFile; reader: ZipWindowReader }> => {
  try {
    const reader = new ZipWindowReader(path);
    // Names are decoded and checked here (decodeStrings off), so an unsafe one is our clear 400
    // rather than yauzl's generic error; entry sizes are checked against what they declare.
    const zip = await yauzl.fromRandomAccessReaderPromise(reader, reader.size, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false }).catch((err: unknown) => {
      reader.close(() => undefined);
      throw err;
    });
    return { zip, reader };
  } catch (err) {
    throw new AppError('invalid_archive', `The upload is not a readable ZIP: ${err instanceof Error ? err.message : String(err)}`);
  }
};

/**
 * Pass 1, the central directory only (nothing decompressed): every name safe, no links, the file
 * count and the declared uncompressed total (and its ratio to the archive's size) within limits.
 * Stops at the first violation. Returns the file entries' names in order (folders skipped).
 */
async function checkDirectory(zip: yauzl.ZipFile, zipBytes: number, limits: IntakeLimits): Promise<string[]> {
  // Each file may come with its folder entry; more entries than that cannot be within the limit.
  if (zip.entryCount > limits.maxImages * 2) throw tooLarge(`The ZIP has ${zip.entryCount} entries; at most ${limits.maxImages} images per job`, { max_images: limits.maxImages, entries: zip.entryCount });
  const names: string[] = [];
  let declared = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entryName(entry);
      const unsafe = unsafeEntryName(name);
      if (unsafe !== null) throw new AppError('unsafe_archive', `The ZIP entry "${name}" has ${unsafe}; nothing was extracted`, { entry: name });
      if (isLink(entry)) throw new AppError('unsafe_archive', `The ZIP entry "${name}" is a link; links are refused, nothing was extracted`, { entry: name });
      if (name.endsWith('/')) continue;
      checkCompressedSize(entry, name);
      names.push(name);
      if (names.length > limits.maxImages) throw tooLarge(`The ZIP holds more than ${limits.maxImages} files; at most ${limits.maxImages} images per job`, { max_images: limits.maxImages });
      declared += entry.uncompressedSize;
      // The ratio first: a bomb is named as one even when it also passes the total.
      if (declared > zipBytes * limits.maxRatio) throw tooLarge(`The ZIP expands to more than ${limits.maxRatio} times its size (a ZIP bomb?)`, { max_compression_ratio: limits.maxRatio });
      if (declared > limits.maxUncompressedBytes) throw tooLarge(`The ZIP expands to more than ${limits.maxUncompressedBytes} bytes`, { max_uncompressed_bytes: limits.maxUncompressedBytes });
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('invalid_archive', `The ZIP's directory cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (names.length === 0) throw new AppError('validation_failed', 'The ZIP holds no files');
  return names;
}

/**
 * An entry's bytes (its declared size is within one image's limit, and yauzl stops one producing
 * more than it declared), counted against the upload's budget as they come out: a lying header
 * stops at the limit, whatever it declared.
 */
async function entryBytes(stream: Readable, declared: number, budget: { left: number }, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    budget.left -= b.length;
    got += b.length;
    if (budget.left < 0) {
      stream.destroy();
      throw tooLarge(`The ZIP expands to more than ${limit} bytes`, { max_uncompressed_bytes: limit });
    }
    // Checked here rather than by yauzl (validateEntrySizes off), so the answer never hangs on its message text.
    if (got > declared) {
      stream.destroy();
      throw tooLarge('A ZIP entry expands to more than its header declares', { declared_bytes: declared });
    }
    chunks.push(b);
  }
  if (got < declared) throw new AppError('invalid_archive', `A ZIP entry holds ${got} bytes where its header declares ${declared}`);
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
}

/**
 * A stored entry's bytes, sliced from the reader's window (valid until its next read): yauzl checks
 * the local header and that the data lies within the file; the budget counts them as a stream would.
 */
async function storedEntryBytes(zip: yauzl.ZipFile, reader: ZipWindowReader, entry: Entry, budget: { left: number }, limit: number): Promise<Buffer> {
  const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
  const data = reader.bytes(fileDataStart, entry.compressedSize);
  if (data.length < entry.uncompressedSize) throw new AppError('invalid_archive', `A ZIP entry holds ${data.length} bytes where its header declares ${entry.uncompressedSize}`);
  budget.left -= data.length;
  if (budget.left < 0) throw tooLarge(`The ZIP expands to more than ${limit} bytes`, { max_uncompressed_bytes: limit });
  return data;
}

/** Stored (not deflated) and whole: what archivers make of JPEGs and PNGs, which do not compress. */
const isStored = (entry: Entry): boolean => entry.compressionMethod === 0 && entry.compressedSize === entry.uncompressedSize;

/** Extraction hands the event loop back this often (health checks, other requests), in ms. */
const YIELD_EVERY_MS = 10;

/**
 * Checks a ZIP stored at `zipPath` and extracts its files, in order, into the item pack in `outDir`
 * (item-pack.ts; entries read one at a time, never the archive in memory: at most one entry and a
 * window of the archive are held while the pack is written). Folder paths stay in the item names.
 * Refusals (AppError): `unsafe_archive` (zip slip, links), `too_large` (count, total, ratio),
 * `invalid_archive`. An entry over the image limit is the item error `too_large` and an
 * encrypted one `invalid_image`, as a single upload of it would be refused; non-images are stored
 * and fail per item when read. The caller deletes the job folder on a refusal.
 */
export async function extractZip(zipPath: string, zipBytes: number, outDir: string, limits: IntakeLimits): Promise<IntakeItem[]> {
  const first = await open(zipPath);
  let names: string[];
  try {
    names = await checkDirectory(first.zip, zipBytes, limits);
  } finally {
    first.zip.close();
  }
  const { zip, reader } = await open(zipPath);
  const items: IntakeItem[] = [];
  const budget = { left: limits.maxUncompressedBytes };
  let pack: PackWriter | undefined;
  try {
    pack = new PackWriter(outDir);
    let handedBack = performance.now();
    for await (const entry of zip.eachEntry()) {
      const name = entryName(entry);
      if (name.endsWith('/')) continue;
      const idx = items.length;
      // The directory read the first time is the one read now; anything else is a changed file.
      if (names[idx] !== name) throw new AppError('invalid_archive', 'The ZIP changed while it was read');
      checkCompressedSize(entry, name);
      if (entry.uncompressedSize > limits.maxImageBytes) {
        items.push({ idx, name, error: 'too_large' });
        pack.skip();
        continue;
      }
      if (entry.isEncrypted()) {
        items.push({ idx, name, error: 'invalid_image' });
        pack.skip();
        continue;
      }
      const data = isStored(entry)
        ? await storedEntryBytes(zip, reader, entry, budget, limits.maxUncompressedBytes)
        : await entryBytes(await zip.openReadStreamPromise(entry), entry.uncompressedSize, budget, limits.maxUncompressedBytes);
      pack.add(data);
      items.push({ idx, name, error: null });
      if (performance.now() - handedBack > YIELD_EVERY_MS) {
        await setImmediate();
        handedBack = performance.now();
      }
    }
    pack.finish();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new AppError('invalid_archive', `The ZIP cannot be extracted: ${message}`);
  } finally {
    pack?.close();
    zip.close();
  }
  return items;
}
