import type { RequestHandler } from 'express';
import { AppError, type AccessLevel, roleAtLeast } from '@inkwell/contracts';
import { callerOf } from './authenticate';

/** The route table's access level, enforced at the edge (services check again with the shared guard). */
export function authorize(access: AccessLevel): RequestHandler {
  return (_req, res, next) => {
    if (access === 'public' || access === 'guest') return next();
    const { identity } = callerOf(res);
    if (identity.kind === 'guest') return next(new AppError('unauthorized', 'Sign in or send an API key'));
    if (!roleAtLeast(identity.role, access)) return next(new AppError('forbidden', `Requires role ${access}`));
    next();
  };
}
