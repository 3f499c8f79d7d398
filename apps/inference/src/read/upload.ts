import type { RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '@inkwell/contracts';
import { encodedUploadRefusal } from './content-encoding';

/** Room a form needs beside its file: 8 fields of 256 bytes, 10 part headers, boundaries. */
const FORM_ROOM_BYTES = 64 * 1024;

const formatMb = (bytes: number): string => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`);

/** A part named "file" without a filename is a text field to every form parser, multer included. */
export const fileSentAsText = (): AppError =>
  new AppError('validation_failed', 'The form field "file" arrived as text: send the image as a file part (Content-Disposition with a filename)');

/**
 * One image in field `file`, held in memory, with strict limits: the file size (413), one file,
 * a few short fields. Anything the form parser chokes on is the client's fault (400), never a 500.
 */
export function singleImageUpload(maxBytes: number): RequestHandler {
  const parser = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 8, fieldSize: 256, fieldNameSize: 64, parts: 10, headerPairs: 20 },
  }).single('file');
  return (req, res, next) => {
    const encoded = encodedUploadRefusal(req.headers);
    if (encoded) return next(encoded);
    // multer reports an over-size file only once the whole request has arrived. A declared length
    // beyond the file limit plus the form's own room (fields, part headers) is refused now; a
    // chunked body, which declares none, is refused as soon as it has grown past that.
    const tooLarge = (): AppError => new AppError('too_large', `File exceeds ${formatMb(maxBytes)} limit.`, { max_bytes: maxBytes });
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBytes + FORM_ROOM_BYTES) return next(tooLarge());
    let settled = false;
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      req.off('data', count);
      next(err);
    };
    let received = 0;
    const count = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBytes + FORM_ROOM_BYTES) settle(tooLarge());
    };
    if (declared === undefined) req.on('data', count);
    parser(req, res, (err: unknown) => {
      if (settled) return; // already refused as too large; multer finishing later has no one to tell
      if (err === undefined || err === null) return settle();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') return settle(tooLarge());
        if (err.code === 'LIMIT_UNEXPECTED_FILE') return settle(new AppError('validation_failed', `Send exactly one image, in the form field "file" (got "${err.field ?? ''}")`));
        if (err.code === 'LIMIT_FIELD_VALUE' && err.field === 'file') return settle(fileSentAsText());
        return settle(new AppError('validation_failed', `Malformed multipart form (${err.code})`));
      }
      settle(new AppError('validation_failed', `Malformed multipart form: ${err instanceof Error ? err.message : String(err)}`));
    });
  };
}
