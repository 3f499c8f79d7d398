import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { REQUEST_ID_HEADER } from '@inkwell/contracts';
import { runWithContext } from '@inkwell/logger';

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's X-Request-ID when it is sane, else makes one; echoes it and scopes logs to it. */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.header(REQUEST_ID_HEADER);
  const id = incoming && VALID_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader('X-Request-ID', id);
  runWithContext({ requestId: id }, next);
};

export const requestIdOf = (res: { locals: Record<string, unknown> }): string => {
  const id = res.locals.requestId;
  return typeof id === 'string' ? id : 'unknown';
};
