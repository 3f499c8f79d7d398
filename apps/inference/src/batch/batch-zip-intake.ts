import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import yauzl, { type Entry } from 'yauzl';
import { AppError } from '@inkwell/contracts';
import { itemFileName } from './batch-files';

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

/** Why a name could write outside the job folder when extracted naively (zip slip), or null. */
export function unsafeEntryName(name: string): string | null {
  if (name.length === 0) return 'an empty name';
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

const tooLarge = (message: string, details: Record<string, unknown>): AppError => new AppError('too_large', message, details);

const open = async (path: string): Promise<yauzl.ZipFile> => {
  try {
    // Names are decoded and checked here (decodeStrings off), so an unsafe one is our clear 400
    // rather than yauzl's generic error; entry sizes are checked against what they declare.
    return await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
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

/** Counts what really comes out of an entry: a lying header stops at the limit, whatever it declared. */
function byteBudget(budget: { left: number }, limit: number): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      budget.left -= chunk.length;
      if (budget.left < 0) return done(tooLarge(`The ZIP expands to more than ${limit} bytes`, { max_uncompressed_bytes: limit }));
      done(null, chunk);
    },
  });
}

/**
 * Checks a ZIP stored at `zipPath` and extracts its files into `outDir` as `<idx>` (one entry at
 * a time, streamed: never an entry, let alone the archive, in memory). Folder paths stay in the
 * item names. Refusals (AppError): `unsafe_archive` (zip slip, links), `too_large` (count, total,
 * ratio), `invalid_archive`. An entry over the image limit is the item error `too_large` and an
 * encrypted one `invalid_image`, as a single upload of it would be refused; non-images are stored
 * and fail per item when read. The caller deletes the job folder on a refusal.
 */
export async function extractZip(zipPath: string, zipBytes: number, outDir: string, limits: IntakeLimits): Promise<IntakeItem[]> {
  const first = await open(zipPath);
  let names: string[];
  try {
    names = await checkDirectory(first, zipBytes, limits);
  } finally {
    first.close();
  }
  const zip = await open(zipPath);
  const items: IntakeItem[] = [];
  const budget = { left: limits.maxUncompressedBytes };
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entryName(entry);
      if (name.endsWith('/')) continue;
      const idx = items.length;
      // The directory read the first time is the one read now; anything else is a changed file.
      if (names[idx] !== name) throw new AppError('invalid_archive', 'The ZIP changed while it was read');
      if (entry.uncompressedSize > limits.maxImageBytes) {
        items.push({ idx, name, error: 'too_large' });
        continue;
      }
      if (entry.isEncrypted()) {
        items.push({ idx, name, error: 'invalid_image' });
        continue;
      }
      const stream = await zip.openReadStreamPromise(entry);
      await pipeline(stream, byteBudget(budget, limits.maxUncompressedBytes), createWriteStream(join(outDir, itemFileName(idx)), { flags: 'wx' }));
      items.push({ idx, name, error: null });
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    // yauzl's size check: an entry producing more than it declared hides its real size (a bomb trick).
    if (/too many bytes|expected \d+ bytes/i.test(message)) throw tooLarge('A ZIP entry expands to more than its header declares', { reason: message });
    throw new AppError('invalid_archive', `The ZIP cannot be extracted: ${message}`);
  } finally {
    zip.close();
  }
  return items;
}
