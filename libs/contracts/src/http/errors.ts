import { z } from 'zod';

/**
 * The one error taxonomy. Every service answers failures as `ErrorBody` with one of these codes;
 * the HTTP status is a property of the code, so callers can branch on `code` alone.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_image: 400,
  bad_dimensions: 400,
  preprocessing_failed: 400,
  /** An uploaded ONNX model failed an import check; `details.check` names which (parse, opset, custom_operator, input, output, smoke_run...). */
  invalid_model: 400,
  /** A batch ZIP entry named with `..` or an absolute path, or a link: refused whole (no zip slip); `details.entry` names it. */
  unsafe_archive: 400,
  /** An upload sent as a ZIP that cannot be read as one. */
  invalid_archive: 400,
  unauthorized: 401,
  forbidden: 403,
  /** A session signed in with a temporary password may only change it, read /me and sign out. */
  password_change_required: 403,
  not_found: 404,
  /** The client stopped sending its request (headers or body) before it was complete. */
  request_timeout: 408,
  timeout: 504,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export const ErrorCode = z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  request_id: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A failure the caller can act on. Thrown anywhere; the http lib's error handler answers it. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After for rate_limited. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
