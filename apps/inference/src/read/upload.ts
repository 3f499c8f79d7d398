import type { RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '@inkwell/contracts';

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
    // multer would read a compressed form as plain bytes and fail on its framing, or worse, not.
    const encoding = req.headers['content-encoding']?.trim().toLowerCase();
    if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
      return next(new AppError('unsupported_media_type', `Content-Encoding "${encoding}" is not accepted on uploads; send the form uncompressed`));
    }
    // multer reports an over-size file only once the whole request has arrived; a declared length
    // beyond the file limit plus the form's own room (its fields and part headers) is refused now.
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBytes + FORM_ROOM_BYTES) return next(new AppError('too_large', `File exceeds ${formatMb(maxBytes)} limit.`, { max_bytes: maxBytes }));
    parser(req, res, (err: unknown) => {
      if (err === undefined || err === null) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') return next(new AppError('too_large', `File exceeds ${formatMb(maxBytes)} limit.`, { max_bytes: maxBytes }));
        if (err.code === 'LIMIT_UNEXPECTED_FILE') return next(new AppError('validation_failed', `Send exactly one image, in the form field "file" (got "${err.field ?? ''}")`));
        if (err.code === 'LIMIT_FIELD_VALUE' && err.field === 'file') return next(fileSentAsText());
        return next(new AppError('validation_failed', `Malformed multipart form (${err.code})`));
      }
      next(new AppError('validation_failed', `Malformed multipart form: ${err instanceof Error ? err.message : String(err)}`));
    });
  };
}
