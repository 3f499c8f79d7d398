import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, type ErrorBody, isAppError } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';
import { requestIdOf } from './request-id';

interface HttpishError {
  type?: string;
  status?: number;
  code?: string;
}

/** Maps framework errors (body parser, multer) to the taxonomy; anything else is internal. */
function toAppError(err: unknown): AppError | null {
  if (isAppError(err)) return err;
  if (typeof err !== 'object' || err === null) return null;
  const e = err as HttpishError;
  if (e.type === 'entity.too.large' || e.code === 'LIMIT_FILE_SIZE') return new AppError('too_large', 'Request body is too large');
  if (e.type === 'entity.parse.failed') return new AppError('validation_failed', 'Request body is not valid JSON');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return new AppError('unsupported_media_type', 'Unsupported body encoding');
  if (typeof e.code === 'string' && e.code.startsWith('LIMIT_')) return new AppError('validation_failed', 'Malformed multipart form');
  if (e.status === 400 && e.type !== undefined) return new AppError('validation_failed', 'Malformed request');
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    const known = toAppError(err);
    if (!known) logger.error({ err }, 'unhandled error');
    const appErr = known ?? new AppError('internal_error', 'Internal server error');
    const body: ErrorBody = { code: appErr.code, message: appErr.message, request_id: requestIdOf(res) };
    if (appErr.details !== undefined) body.details = appErr.details;
    for (const [k, v] of Object.entries(appErr.headers ?? {})) res.setHeader(k, v);
    res.status(appErr.status).json(body);
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route ${req.method} ${req.path}`));
};
