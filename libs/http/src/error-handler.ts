import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, ERROR_STATUS, type ErrorBody, type ErrorCode, isAppError } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';
import { requestIdOf } from './request-id';

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  code?: string;
  expose?: boolean;
  message?: string;
}

/** The first code of the taxonomy for each status, e.g. 400 -> validation_failed. */
const CODE_FOR_STATUS = new Map<number, ErrorCode>();
for (const [code, status] of Object.entries(ERROR_STATUS) as [ErrorCode, number][]) if (!CODE_FOR_STATUS.has(status)) CODE_FOR_STATUS.set(status, code);

// PostgreSQL's text cannot hold NUL (22021) or characters the database encoding lacks (22P05).
// Contracts refuse them first; this keeps any input they miss a 400 rather than a 500.
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

// Connection-level failures of PostgreSQL/Redis: the request may succeed once the dependency is back.
const DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P03', '08006', '08001', '08003']);
// pg: a connection lost mid-query or mid-transaction; ioredis: a command a stalled Redis never
// answered (commandTimeout), or one given up after its retries.
const DOWN_MESSAGES = /Connection terminated|Connection is closed|Stream isn't writeable|connect ECONNREFUSED|connection error and is not queryable|Command timed out|Reached the max retries per request limit/;
const DOWN_NAMES = new Set(['KnexTimeoutError', 'MaxRetriesPerRequestError']);
function isDependencyDown(err: object, depth = 0): boolean {
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && DOWN_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && DOWN_NAMES.has(e.name)) return true;
  if (typeof e.message === 'string' && DOWN_MESSAGES.test(e.message)) return true;
  return depth < 3 && typeof e.cause === 'object' && e.cause !== null && isDependencyDown(e.cause, depth + 1);
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
  if (typeof e.code === 'string' && UNSTORABLE_TEXT.has(e.code)) return new AppError('validation_failed', 'Text contains a character that cannot be stored (such as NUL)');
  // Any other framework error carrying a client status (http-errors: a malformed %-escape in a path
  // parameter, a corrupt gzip body, ...) is the client's fault, whatever its `type`.
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message =
      err instanceof URIError ? 'The URL holds a malformed %-escape'
      : e.expose === true && typeof e.message === 'string' && e.message !== '' ? e.message
      : 'Malformed request';
    return new AppError(CODE_FOR_STATUS.get(status) ?? 'validation_failed', message);
  }
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
