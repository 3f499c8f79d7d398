import { createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import { AppError, BATCH_ARCHIVE_FIELD, BATCH_FILES_FIELD, type BatchSource } from '@inkwell/contracts';
import { encodedUploadRefusal } from '../read/content-encoding';
import { itemFileName } from './batch-files';
import { extractZip, MAX_ENTRY_NAME_BYTES, type IntakeItem, type IntakeLimits } from './batch-zip-intake';

export type { IntakeItem, IntakeLimits } from './batch-zip-intake';

export interface Intake {
  readonly source: BatchSource;
  readonly uploadBytes: number;
  readonly items: readonly IntakeItem[];
  /** Wall time receiving the body to disk, and checking and extracting a ZIP (0 for files), for the job's log line. */
  readonly ms: { readonly receive: number; readonly extract: number };
}

/** Room a form needs beside its files: part headers and boundaries (per file, a few hundred bytes). */
const FORM_ROOM_BYTES = 1024 * 1024;
const UPLOAD_NAME = 'upload.zip';

const uploadTooLarge = (limits: IntakeLimits): AppError => new AppError('too_large', `The upload exceeds ${limits.maxUploadBytes} bytes`, { max_upload_bytes: limits.maxUploadBytes });
const tooManyImages = (limits: IntakeLimits): AppError => new AppError('too_large', `More than ${limits.maxImages} images; at most ${limits.maxImages} per job`, { max_images: limits.maxImages });

/** Reads a part into memory up to `max` bytes (one image: small); null when it is bigger (the rest is drained). */
async function readUpTo(stream: Readable, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > max) over = true;
    if (!over) chunks.push(b);
  }
  return over ? null : Buffer.concat(chunks);
}

/**
 * Receives `POST /api/batch`'s multipart body into `dir` (the new job's folder), streamed: images
 * in `files` become `in/<idx>` one after another; a ZIP in `archive` is stored as it arrives, then
 * checked and extracted (batch-zip-intake.ts) and deleted. Every limit is enforced as bytes arrive:
 * the upload's size, the image count, one image's size (a per-item `too_large`, as /v1/read would
 * answer). Throws an AppError on any refusal; the caller then deletes `dir`, so nothing is kept.
 */
export async function receiveBatch(req: Request, dir: string, limits: IntakeLimits): Promise<Intake> {
  if (!req.is('multipart/form-data')) throw new AppError('validation_failed', `Send multipart/form-data: one ZIP in "${BATCH_ARCHIVE_FIELD}" or images in "${BATCH_FILES_FIELD}"`);
  const encoded = encodedUploadRefusal(req.headers);
  if (encoded) throw encoded;
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limits.maxUploadBytes + FORM_ROOM_BYTES) throw uploadTooLarge(limits);
  const inDir = join(dir, 'in');
  const t0 = performance.now();
  await mkdir(inDir, { recursive: true });
  const received = await receiveParts(req, dir, inDir, limits);
  const t1 = performance.now();
  if (received.archive) {
    if (received.items.length > 0) throw new AppError('validation_failed', `Send either one ZIP in "${BATCH_ARCHIVE_FIELD}" or images in "${BATCH_FILES_FIELD}", not both`);
    const zipPath = join(dir, UPLOAD_NAME);
    const items = await extractZip(zipPath, received.bytes, inDir, limits);
    await rm(zipPath, { force: true });
    return { source: 'zip', uploadBytes: received.bytes, items, ms: { receive: Math.round(t1 - t0), extract: Math.round(performance.now() - t1) } };
  }
  if (received.items.length === 0) throw new AppError('validation_failed', `No images: send one ZIP in "${BATCH_ARCHIVE_FIELD}" or images in "${BATCH_FILES_FIELD}"`);
  return { source: 'files', uploadBytes: received.bytes, items: received.items, ms: { receive: Math.round(t1 - t0), extract: 0 } };
}

interface Received {
  readonly archive: boolean;
  readonly bytes: number;
  readonly items: IntakeItem[];
}

function receiveParts(req: Request, dir: string, inDir: string, limits: IntakeLimits): Promise<Received> {
  return new Promise((resolve, reject) => {
    const items: IntakeItem[] = [];
    let archive = false;
    let bytes = 0;
    let failed = false;
    // Parts are handled one after another (the next waits, and with it the request, until the
    // previous is on disk): the counts stay exact and memory holds at most one image.
    let chain: Promise<void> = Promise.resolve();
    let bb: busboy.Busboy;
    // The streams of the part being written: a refusal or an abort destroys them, or the write
    // would wait forever for bytes that no longer come, and the caller would never clean up.
    let current: readonly Readable[] = [];
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      const reason = err instanceof Error ? err : new Error(String(err));
      for (const s of current) s.destroy(reason);
      bb.destroy();
      void chain.catch(() => undefined).then(() => reject(err));
    };
    try {
      bb = busboy({ headers: req.headers, limits: { files: limits.maxImages + 1, fields: 20, fieldSize: 1024, fileSize: limits.maxUploadBytes + 1 } });
    } catch {
      reject(new AppError('validation_failed', 'Malformed multipart request'));
      return;
    }
    // Every byte of every part counts against the upload limit, whichever field it came in.
    const counter = (): Transform =>
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          if (bytes > limits.maxUploadBytes) return done(uploadTooLarge(limits));
          done(null, chunk);
        },
      });
    bb.on('file', (field, stream, info) => {
      // fail() destroys the parser, which ends a part midway with an error: whoever reads the part
      // sees it; a part nobody reads (refused, drained) must not crash the process with it.
      stream.on('error', () => undefined);
      if (failed) return void stream.resume();
      if (field !== BATCH_ARCHIVE_FIELD && field !== BATCH_FILES_FIELD) {
        stream.resume();
        return fail(new AppError('validation_failed', `Unexpected file field "${field}": send one ZIP in "${BATCH_ARCHIVE_FIELD}" or images in "${BATCH_FILES_FIELD}"`));
      }
      if (field === BATCH_ARCHIVE_FIELD && archive) {
        stream.resume();
        return fail(new AppError('validation_failed', `Send one ZIP in "${BATCH_ARCHIVE_FIELD}"`));
      }
      if (field === BATCH_ARCHIVE_FIELD) archive = true;
      else if (items.length >= limits.maxImages) {
        stream.resume();
        return fail(tooManyImages(limits));
      }
      const idx = items.length;
      const name = info.filename ?? `file-${idx}`;
      if (Buffer.byteLength(name, 'utf8') > MAX_ENTRY_NAME_BYTES) {
        stream.resume();
        return fail(new AppError('validation_failed', `A file name is over ${MAX_ENTRY_NAME_BYTES} bytes`, { max_name_bytes: MAX_ENTRY_NAME_BYTES }));
      }
      if (field === BATCH_FILES_FIELD) items.push({ idx, name, error: null });
      chain = chain.then(async () => {
        if (failed) return void stream.resume();
        try {
          if (field === BATCH_ARCHIVE_FIELD) {
            const counted = counter();
            current = [stream, counted];
            await pipeline(stream, counted, createWriteStream(join(dir, UPLOAD_NAME), { flags: 'wx' }));
            return;
          }
          const counted = stream.pipe(counter());
          // pipe() neither handles nor passes on the part's errors: the reader of `counted` must see them.
          stream.on('error', (err) => counted.destroy(err));
          current = [stream, counted];
          const image = await readUpTo(counted, limits.maxImageBytes);
          if (image === null) items[idx] = { idx, name, error: 'too_large' };
          else await writeFile(join(inDir, itemFileName(idx)), image, { flag: 'wx' });
        } catch (err) {
          stream.resume();
          fail(err);
        }
      });
    });
    bb.on('filesLimit', () => fail(tooManyImages(limits)));
    bb.on('error', (err) => fail(new AppError('validation_failed', `Malformed multipart request: ${err instanceof Error ? err.message : String(err)}`)));
    bb.on('close', () => {
      void chain.then(() => {
        if (!failed) resolve({ archive, bytes, items });
      });
    });
    const stopped = (): void => fail(new AppError('request_timeout', 'The upload stopped before it was complete'));
    req.on('aborted', stopped);
    // A request timeout or a reset socket closes the request without 'aborted' on some paths.
    req.on('close', () => {
      if (!req.complete) stopped();
    });
    req.pipe(bb);
  });
}
