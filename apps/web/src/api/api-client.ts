import { assertDeclaredResponseSchema, ErrorBody, matchRoute, type ErrorCode, type PublicRoute } from '@inkwell/contracts';
import { z } from 'zod';
import { t } from '../i18n/i18n';

/** A failed call, carrying what the server said so the page can show it as is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The taxonomy code from the error body; null when the server could not be reached or did not answer with one. */
    readonly code: ErrorCode | null,
    message: string,
    /** Seconds from Retry-After (rate limits), when the server sent it. */
    readonly retryAfterSeconds: number | null = null,
    /** The error body's details (which field, which check), when it had any. */
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isUnauthorized = (e: unknown): boolean => e instanceof ApiError && e.status === 401;

// ---- Types derived from the route table: only its method/path pairs compile. ----
export type Method = PublicRoute['method'];
export type PathOf<M extends Method> = Extract<PublicRoute, { method: M }>['path'];
type RouteOf<M extends Method, P extends string> = Extract<PublicRoute, { method: M; path: P }>;
type ParamNames<P extends string> = P extends `${string}{${infer K}}${infer Rest}` ? K | ParamNames<Rest> : never;
type ParamsArg<P extends string> = [ParamNames<P>] extends [never] ? { readonly params?: undefined } : { readonly params: Readonly<Record<ParamNames<P>, string>> };
type BodyArg<R> = R extends { readonly body: infer B extends z.ZodType } ? { readonly body: z.input<B> } : { readonly body?: undefined };
type QueryArg<R> = R extends { readonly query: infer Q extends z.ZodType } ? { readonly query?: z.input<Q> } : { readonly query?: undefined };
/** Path parameters, query and body exactly as the route table declares them for this route. */
export type RouteArgs<M extends Method, P extends string> = ParamsArg<P> & BodyArg<RouteOf<M, P>> & QueryArg<RouteOf<M, P>>;

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/**
 * The URL of one route of the table with its parameters filled in. Refuses (throws) a path the
 * table does not have, so nothing on a page can call an endpoint the gateway does not route.
 */
export function routeUrl(method: Method, template: string, params?: Readonly<Record<string, string>>, query?: object): string {
  const path = template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === '') throw new Error(`routeUrl: ${template} needs the parameter ${name}`);
    return encodeURIComponent(value);
  });
  if (!matchRoute(method, path)) throw new Error(`routeUrl: ${method.toUpperCase()} ${path} is not in the route table`);
  const search = new URLSearchParams();
  for (const [key, raw] of Object.entries((query ?? {}) as Record<string, QueryValue>)) {
    if (raw === undefined || raw === null || raw === '') continue;
    for (const v of Array.isArray(raw) ? raw : [raw]) search.append(key, String(v));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/** A GET route's URL, for links (downloads) and event streams. */
export function apiHref<P extends PathOf<'get'>>(path: P, args: RouteArgs<'get', P>): string {
  return routeUrl('get', path, args.params, args.query);
}

function retryAfter(res: { headers: { get(name: string): string | null } }): number | null {
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

/** The ApiError for a non-2xx answer whose body (parsed JSON or null) is `body`. */
export function failureFrom(status: number, statusText: string, body: unknown, retry: number | null): ApiError {
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) return new ApiError(status, parsed.data.code, withIssues(parsed.data.message, parsed.data.details), retry, parsed.data.details ?? null);
  return new ApiError(status, null, t('error.status', { status: `${status} ${statusText}`.trim() }), retry);
}

interface RawCall {
  readonly method: Method;
  readonly url: string;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

const pathOf = (url: string): string => url.split('?', 1)[0] ?? url;

/**
 * Sends one request and answers the Response when it is a 2xx; otherwise the ApiError. The
 * network failing is ApiError 0 (unless the caller aborted: then the abort as is).
 */
async function send(req: RawCall, accept: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method.toUpperCase(),
      credentials: 'same-origin',
      headers: { accept, ...(req.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      ...(req.signal ? { signal: req.signal } : {}),
    });
  } catch (e) {
    if (req.signal?.aborted) throw e;
    throw new ApiError(0, null, t('error.unreachable'));
  }
  if (!res.ok) throw failureFrom(res.status, res.statusText, await res.json().catch(() => null), retryAfter(res));
  return res;
}

async function rawCall<S extends z.ZodType | undefined>(req: RawCall, schema: S): Promise<S extends z.ZodType ? z.infer<S> : undefined> {
  type Out = S extends z.ZodType ? z.infer<S> : undefined;
  // The result's type comes from the caller's schema, so it must be the table's for this route:
  // checked before sending (a wrong one never reaches the network) and for the status answered.
  assertDeclaredResponseSchema(req.method, pathOf(req.url), schema);
  const res = await send(req, 'application/json');
  if (!schema) return undefined as Out;
  assertDeclaredResponseSchema(req.method, pathOf(req.url), schema, res.status);
  const parsed = schema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new ApiError(res.status, null, t('error.unreadable'));
  return parsed.data as Out;
}

/** Renews the session when the access cookie has expired; set by the session module. */
let renewSession: (<T>(run: () => Promise<T>) => Promise<T>) | null = null;
export function setSessionRenewal(renew: <T>(run: () => Promise<T>) => Promise<T>): void {
  renewSession = renew;
}

export type CallOptions<M extends Method, P extends string, S extends z.ZodType | undefined> = RouteArgs<M, P> & {
  /** Parses the success body; without one the body is ignored (204). */
  readonly schema?: S;
  readonly signal?: AbortSignal;
};

/**
 * One same-origin JSON call to a route of the table. The session lives in httpOnly cookies the
 * server sets, so this code never sees a token; an expired access cookie is renewed once.
 */
export function api<M extends Method, P extends PathOf<M>, S extends z.ZodType | undefined = undefined>(
  method: M,
  path: P,
  options: CallOptions<M, P, S>,
): Promise<S extends z.ZodType ? z.infer<S> : undefined> {
  const url = routeUrl(method, path, options.params, options.query);
  const run = () => rawCall({ method, url, body: options.body, ...(options.signal ? { signal: options.signal } : {}) }, options.schema as S);
  return renewSession ? renewSession(run) : run();
}

/** Like `api`, without renewing the session (the session module's own calls). */
export function apiOnce<M extends Method, P extends PathOf<M>, S extends z.ZodType | undefined = undefined>(
  method: M,
  path: P,
  options: CallOptions<M, P, S>,
): Promise<S extends z.ZodType ? z.infer<S> : undefined> {
  return rawCall({ method, url: routeUrl(method, path, options.params, options.query), body: options.body }, options.schema as S);
}

/** A file the server answered (a download), with the name its Content-Disposition gives. */
export interface FetchedFile {
  readonly blob: Blob;
  readonly filename: string | null;
}

function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim().replace(/^"|"$/g, ''));
    } catch {
      // Not percent-encoded after all: fall through to the plain name.
    }
  }
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1]?.trim() ?? null;
}

/**
 * A GET route's body as a file, through the same session renewal as `api` (a plain link would
 * fail on an expired access cookie, and silently: the browser saves the error page or nothing).
 */
export function apiFile<P extends PathOf<'get'>>(path: P, args: RouteArgs<'get', P>): Promise<FetchedFile> {
  const url = routeUrl('get', path, args.params, args.query);
  const run = async (): Promise<FetchedFile> => {
    const res = await send({ method: 'get', url }, '*/*');
    return { blob: await res.blob(), filename: filenameOf(res.headers.get('content-disposition')) };
  };
  return renewSession ? renewSession(run) : run();
}
