import type { RequestHandler } from 'express';
import { AppError } from '@inkwell/contracts';
import { callerOf } from '../authn/authenticate';
import { clientSubject, rateLimitedError } from './client-budget';
import type { SlidingWindowLimiter } from './sliding-window';

export interface RateLimits {
  readonly guestPerWindow: number;
  readonly userPerWindow: number;
}

/**
 * Guests are limited per IP, users per account, API keys per key (with the key's own override).
 * Revocation checks that `authenticate` deferred are made here, in the same Redis call.
 */
export function rateLimit(limiter: SlidingWindowLimiter, limits: RateLimits): RequestHandler {
  return async (_req, res, next) => {
    const { identity, rateLimitPerMin, uncheckedRevocationKeys } = callerOf(res);
    const subject = identity.kind === 'guest' ? clientSubject(identity.ip) : `${identity.kind}:${identity.sub ?? 'unknown'}`;
    const limit = identity.kind === 'guest' ? limits.guestPerWindow : (rateLimitPerMin ?? limits.userPerWindow);
    const d = await limiter.hit(subject, limit, uncheckedRevocationKeys);
    if (d.revoked) throw new AppError('unauthorized', 'Session has ended');
    res.setHeader('X-RateLimit-Limit', String(d.limit));
    res.setHeader('X-RateLimit-Remaining', String(d.remaining));
    res.setHeader('X-RateLimit-Reset', String(d.resetSeconds));
    if (!d.allowed) throw rateLimitedError(d);
    next();
  };
}
