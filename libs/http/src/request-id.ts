import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { REQUEST_ID_HEADER } from '@inkwell/contracts';
import { runWithContext } from '@inkwell/logger';

/**
 * A caller's id goes into every log line, audit event and job of the request, so only a short
 * token that cannot break a log line or forge a field is taken: no spaces, quotes, braces, control
 * or non-ASCII characters, at most 128 of them.
 */
const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-ID when it is sane, else a fresh one. */
export const requestIdFrom = (incoming: string | undefined): string => (incoming !== undefined && VALID_ID.test(incoming) ? incoming : randomUUID());

/** Takes the caller's X-Request-ID when it is sane, else makes one; echoes it and scopes logs to it. */
export const requestId: RequestHandler = (req, res, next) => {
  const id = requestIdFrom(req.header(REQUEST_ID_HEADER));
  res.locals.requestId = id;
  res.setHeader('X-Request-ID', id);
  runWithContext({ requestId: id }, next);
};

export const requestIdOf = (res: { locals: Record<string, unknown> }): string => {
  const id = res.locals.requestId;
  return typeof id === 'string' ? id : 'unknown';
};
