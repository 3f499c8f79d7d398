import type { RequestHandler } from 'express';
import { AppError, type AccessLevel, roleAtLeast } from '@inkwell/contracts';
import { callerOf } from './authenticate';

export interface AuthorizeOptions {
  /** The route stays open to a session signed in with a temporary password (RouteDef's flag). */
  readonly allowDuringPasswordChange?: boolean;
}

/**
 * The route table's access level, enforced at the edge (services check again with the shared
 * guard). A temporary-password session gets 403 `password_change_required` on every route not
 * flagged for it, public ones included: until it changes its password it is not a session.
 */
export function authorize(access: AccessLevel, options: AuthorizeOptions = {}): RequestHandler {
  return (_req, res, next) => {
    const { identity, passwordChangeRequired } = callerOf(res);
    if (passwordChangeRequired && !options.allowDuringPasswordChange) {
      return next(new AppError('password_change_required', 'Change your temporary password first (POST /api/auth/password)'));
    }
    if (access === 'public' || access === 'guest') return next();
    if (identity.kind === 'guest') return next(new AppError('unauthorized', 'Sign in or send an API key'));
    if (!roleAtLeast(identity.role, access)) return next(new AppError('forbidden', `Requires role ${access}`));
    next();
  };
}
