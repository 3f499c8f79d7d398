import type { RequestHandler, Response } from 'express';
import { AppError, IDENTITY_HEADER, type Identity, type Role, roleAtLeast } from '@inkwell/contracts';
import { verifyIdentity } from './internal-identity';

/**
 * Services accept only requests that came through the gateway: no valid identity header, no
 * service. Mount before every route except health, readiness and metrics.
 */
export function requireGatewayIdentity(secret: string): RequestHandler {
  return (req, res, next) => {
    const token = req.header(IDENTITY_HEADER);
    const identity = token ? verifyIdentity(token, secret) : null;
    if (!identity) return next(new AppError('unauthorized', 'Request did not come through the gateway'));
    res.locals.identity = identity;
    next();
  };
}

export function identityOf(res: Response): Identity {
  const identity = res.locals.identity as Identity | undefined;
  if (!identity) throw new AppError('unauthorized', 'No identity on this request');
  return identity;
}

/** 401 for guests, 403 for a role below `role`. */
export function requireRole(role: Role): RequestHandler {
  return (_req, res, next) => {
    const identity = identityOf(res);
    if (identity.kind === 'guest' || identity.role === null) return next(new AppError('unauthorized', 'Sign in required'));
    if (!roleAtLeast(identity.role, role)) return next(new AppError('forbidden', `Requires role ${role}`));
    next();
  };
}
