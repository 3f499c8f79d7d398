import type { Request } from 'express';
import busboy from 'busboy';
import { AppError, DATASET_FILE_FIELD } from '@inkwell/contracts';
import type { BlobStore } from '../storage/blob-store';
import type { StoredFile } from './dataset-files';

export interface ReceivedUpload {
  readonly fields: Readonly<Record<string, string>>;
  readonly files: readonly StoredFile[];
}

/** More than a pair is never a dataset; the limit stops a client from making us store many files. */
const MAX_FILES = 2;

/**
 * Reads a multipart dataset upload, streaming each file straight into the blob store while it is
 * hashed (never held in memory), within `maxBytes` for all files together. On any failure the
 * blobs already stored for this request are handed to `discard` and the error is thrown.
 */
export function receiveUpload(req: Request, store: BlobStore, maxBytes: number, discard: (files: readonly StoredFile[]) => Promise<void>): Promise<ReceivedUpload> {
  if (!req.is('multipart/form-data')) return Promise.reject(new AppError('validation_failed', 'Expected multipart/form-data with the dataset files'));
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: StoredFile[] = [];
    let stored = 0;
    let failed = false;
    // Files arrive one after another in a multipart body; chaining the puts makes the budget left
    // exact (the previous file is counted) and orders the final answer after the last put.
    let chain: Promise<void> = Promise.resolve();
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      chain
        .catch(() => undefined)
        .then(() => discard(files))
        .then(() => reject(err), () => reject(err));
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: MAX_FILES, fields: 20, fieldSize: 10_000 } });
    } catch {
      reject(new AppError('validation_failed', 'Malformed multipart request'));
      return;
    }
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (failed || name !== DATASET_FILE_FIELD) {
        stream.resume();
        if (!failed) fail(new AppError('validation_failed', `Unexpected file field "${name}"; send the dataset as "${DATASET_FILE_FIELD}"`));
        return;
      }
      chain = chain.then(async () => {
        if (failed) {
          stream.resume();
          return;
        }
        try {
          const ref = await store.put(stream, { maxBytes: maxBytes - stored });
          stored += ref.size;
          files.push({ name: info.filename ?? 'upload', hash: ref.hash, size_bytes: ref.size });
        } catch (err) {
          stream.resume();
          fail(err instanceof AppError && err.code === 'too_large' ? new AppError('too_large', `The dataset exceeds ${maxBytes} bytes`, { max_bytes: maxBytes }) : err);
        }
      });
    });
    bb.on('filesLimit', () => fail(new AppError('validation_failed', `At most ${MAX_FILES} files: one (CSV, ZIP) or a pair (IDX, NPY)`)));
    bb.on('error', (err) => fail(new AppError('validation_failed', `Malformed multipart request: ${err instanceof Error ? err.message : String(err)}`)));
    bb.on('close', () => {
      void chain.then(() => {
        if (!failed) resolve({ fields, files });
      });
    });
    req.on('aborted', () => fail(new AppError('request_timeout', 'The upload stopped before it was complete')));
    req.pipe(bb);
  });
}
