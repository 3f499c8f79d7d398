import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, type ErrorBody, isAppError } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';
import { requestIdOf } from './request-id';

interface HttpishError {
  type?: string;
  status?: number;
  code?: string;
}

// Connection-level failures of PostgreSQL/Redis: the request may succeed once the dependency is back.
const DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P03', '08006', '08001', '08003']);
function isDependencyDown(err: object): boolean {
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof e.code === 'string' && DOWN_CODES.has(e.code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  const msg = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|Connection is closed|Stream isn't writeable|connect ECONNREFUSED/.test(msg);
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
  if (isDependencyDown(err)) return new AppError('service_unavailable', 'A dependency is unavailable; try again shortly');
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
