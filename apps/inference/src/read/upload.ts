import type { RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '@inkwell/contracts';

const formatMb = (bytes: number): string => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`);

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
    parser(req, res, (err: unknown) => {
      if (err === undefined || err === null) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') return next(new AppError('too_large', `File exceeds ${formatMb(maxBytes)} limit.`, { max_bytes: maxBytes }));
        if (err.code === 'LIMIT_UNEXPECTED_FILE') return next(new AppError('validation_failed', `Send exactly one image, in the form field "file" (got "${err.field ?? ''}")`));
        return next(new AppError('validation_failed', `Malformed multipart form (${err.code})`));
      }
      next(new AppError('validation_failed', `Malformed multipart form: ${err instanceof Error ? err.message : String(err)}`));
    });
  };
}
