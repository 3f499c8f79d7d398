import type { Request } from 'express';
import busboy from 'busboy';
import { AppError, MODEL_IMPORT_FILE_FIELD } from '@inkwell/contracts';
import { writeCapped } from '@inkwell/model-artifacts';

export interface ReceivedModel {
  readonly fields: Readonly<Record<string, string>>;
  /** Bytes written to `path`. */
  readonly size: number;
  readonly filename: string;
}

/**
 * Streams the one `model` file of a multipart import to `path` (never held in memory), cutting it
 * off with 413 (`size` check) the moment it passes `maxBytes`. The caller removes `path` on failure.
 */
export function receiveModelUpload(req: Request, path: string, maxBytes: number): Promise<ReceivedModel> {
  if (!req.is('multipart/form-data')) return Promise.reject(new AppError('validation_failed', `Expected multipart/form-data with the model as "${MODEL_IMPORT_FILE_FIELD}"`));
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let written: Promise<ReceivedModel> | null = null;
    let failed = false;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      reject(err);
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fieldSize: 1000 } });
    } catch {
      reject(new AppError('validation_failed', 'Malformed multipart request'));
      return;
    }
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (failed || name !== MODEL_IMPORT_FILE_FIELD || written) {
        stream.resume();
        fail(new AppError('validation_failed', `Unexpected file field "${name}"; send one .onnx file as "${MODEL_IMPORT_FILE_FIELD}"`));
        return;
      }
      written = writeCapped(stream, path, maxBytes).then((size) => ({ fields, size, filename: info.filename ?? 'model.onnx' }));
      written.catch((err: unknown) => {
        stream.resume();
        fail(err);
      });
    });
    bb.on('filesLimit', () => fail(new AppError('validation_failed', `Send exactly one file, as "${MODEL_IMPORT_FILE_FIELD}"`)));
    bb.on('error', (err) => fail(new AppError('validation_failed', `Malformed multipart request: ${err instanceof Error ? err.message : String(err)}`)));
    bb.on('close', () => {
      if (failed) return;
      if (!written) fail(new AppError('validation_failed', `No model file; send it as "${MODEL_IMPORT_FILE_FIELD}"`));
      else written.then(resolve, fail);
    });
    req.on('aborted', () => fail(new AppError('request_timeout', 'The upload stopped before it was complete')));
    req.pipe(bb);
  });
}
