import { ErrorBody, type ErrorCode } from '@inkwell/contracts';
import { z } from 'zod';

/** A failed call, carrying what the server said so the page can show it as is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The taxonomy code from the error body; null when the server could not be reached or did not answer with one. */
    readonly code: ErrorCode | null,
    message: string,
    /** Seconds from Retry-After (rate limits), when the server sent it. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isUnauthorized = (e: unknown): boolean => e instanceof ApiError && e.status === 401;

interface CallOptions<S extends z.ZodType | undefined> {
  readonly body?: unknown;
  /** Parses a success body; without one the body is ignored (204). */
  readonly schema?: S;
}

type Result<S> = S extends z.ZodType ? z.infer<S> : undefined;

function retryAfter(res: Response): number | null {
  const seconds = Number(res.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

// validation_failed names what was wrong with which field; the user should see it.
const FieldIssues = z.object({ issues: z.array(z.object({ path: z.string(), message: z.string() })).min(1) });

function withIssues(message: string, details: unknown): string {
  const parsed = FieldIssues.safeParse(details);
  if (!parsed.success) return message;
  return `${message}: ${parsed.data.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}.`;
}

async function failure(res: Response): Promise<ApiError> {
  const parsed = ErrorBody.safeParse(await res.json().catch(() => null));
  if (parsed.success) return new ApiError(res.status, parsed.data.code, withIssues(parsed.data.message, parsed.data.details), retryAfter(res));
  return new ApiError(res.status, null, `The server answered ${res.status} ${res.statusText}`.trim(), retryAfter(res));
}

/**
 * One same-origin JSON call. The session lives in httpOnly cookies the server sets, so this code
 * never sees a token: it only sends the cookies along.
 */
export async function call<S extends z.ZodType | undefined = undefined>(method: 'GET' | 'POST', path: string, opts: CallOptions<S> = {}): Promise<Result<S>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    });
  } catch {
    throw new ApiError(0, null, 'Could not reach Inkwell. Check your connection and try again.');
  }
  if (!res.ok) throw await failure(res);
  if (!opts.schema) return undefined as Result<S>;
  const parsed = opts.schema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new ApiError(res.status, null, 'The server sent a response this page does not understand. Try reloading.');
  return parsed.data as Result<S>;
}
