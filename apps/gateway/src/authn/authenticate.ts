import type { Request, RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { AppError, isAppError, type Identity } from '@inkwell/contracts';
import { revocationKeys } from '@inkwell/auth-guard';
import type { ClientBudget } from '../rate-limit/client-budget';
import { verifyAccessToken } from './access-token';
import type { ApiKeyVerifier } from './api-key-verifier';
import type { JwksCache } from './jwks-cache';

export interface Caller {
  readonly identity: Identity;
  /** Per-key rate-limit override, when the caller is an API key that has one. */
  readonly rateLimitPerMin: number | null;
  /**
   * Revocation markers still to check, when `authenticate` was told to leave the check to the rate
   * limiter (which makes it in the same Redis round trip as its count); empty once checked.
   */
  readonly uncheckedRevocationKeys: readonly string[];
  /** Signed in with a temporary password: only routes flagged `allowDuringPasswordChange`. */
  readonly passwordChangeRequired: boolean;
}

export interface AuthenticateDeps {
  readonly jwks: JwksCache;
  readonly redis: Redis;
  readonly redisPrefix: string;
  readonly issuer: string;
  readonly audience: string;
  readonly apiKeys: ApiKeyVerifier;
  /** Charged for every failed authentication and every API key auth must be asked about. */
  readonly clientBudget: ClientBudget;
}

export interface AuthenticateOptions {
  /** Leave the session/user revocation check to the rate limiter that follows (see rateLimit). */
  readonly deferRevocationCheck?: boolean;
}

const ACCESS_COOKIE = 'inkwell_access';
const MAX_USER_AGENT = 512;

const guest = (base: Pick<Identity, 'ip' | 'user_agent'>): Caller => ({
  identity: { kind: 'guest', sub: null, role: null, email: null, session_id: null, owner_id: null, ...base },
  rateLimitPerMin: null,
  uncheckedRevocationKeys: [],
  passwordChangeRequired: false,
});

/**
 * Sign-in and refresh establish a session from what is in the body (or the refresh cookie): an
 * access token sent along is at best stale (its session ended: the deny-list would answer 401 and
 * lock the user out of signing in again until it expired) and is ignored.
 */
const CREDENTIAL_ENDPOINTS = new Set(['/api/auth/login', '/api/auth/refresh']);
// Express matches routes case-insensitively and with or without a trailing slash: so does this.
const establishesSession = (req: Request): boolean =>
  req.method === 'POST' && CREDENTIAL_ENDPOINTS.has(`${req.baseUrl}${req.path}`.toLowerCase().replace(/\/+$/, ''));

function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined; // a malformed %-escape: no token there, as if the cookie were absent
    }
  }
  return undefined;
}

const bearer = (req: Request): string | undefined => {
  const h = req.header('authorization');
  return h && /^Bearer /i.test(h) ? h.slice(7).trim() : undefined;
};

/**
 * Establishes who is calling, once, at the edge: an API key, else a bearer token or the session
 * cookie, else a guest. Presented but invalid credentials are refused (never silently downgraded
 * to guest, which would hide a revoked key behind guest access).
 */
export function authenticate(deps: AuthenticateDeps, options: AuthenticateOptions = {}): RequestHandler {
  const keys = revocationKeys(deps.redisPrefix);
  return async (req, res, next) => {
    // The user agent travels in the signed identity header and into session records: a bounded copy.
    const base = { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', user_agent: req.header('user-agent')?.slice(0, MAX_USER_AGENT) ?? null };
    const apiKey = req.header('x-api-key');
    const token = bearer(req) ?? cookie(req, ACCESS_COOKIE);
    let caller: Caller;
    if (establishesSession(req)) {
      caller = guest(base);
    } else if (apiKey) {
      const verified = deps.apiKeys.cached(apiKey) ?? (await verifyUnknownKey(deps, apiKey, base.ip));
      caller = {
        identity: { kind: 'api_key', sub: verified.key_id, role: verified.role, email: null, session_id: null, owner_id: verified.ownerId, ...base },
        rateLimitPerMin: verified.rate_limit_per_min,
        uncheckedRevocationKeys: [],
        passwordChangeRequired: false,
      };
    } else if (token) {
      const claims = await verifyAccessToken(token, deps.jwks, deps.issuer, deps.audience);
      if (!claims) {
        // A stale cookie should not break public pages (login, docs): treat it as absent there.
        if (!bearer(req)) {
          res.locals.caller = guest(base) satisfies Caller;
          res.locals.staleCookie = true;
          return next();
        }
        await deps.clientBudget.spend(base.ip); // 429 once the client's budget is gone
        throw new AppError('unauthorized', 'Invalid or expired access token');
      }
      const revocation = [keys.session(claims.sid), keys.user(claims.sub)];
      if (!options.deferRevocationCheck && (await deps.redis.exists(...revocation)) > 0) throw new AppError('unauthorized', 'Session has ended');
      caller = {
        identity: { kind: 'user', sub: claims.sub, role: claims.role, email: claims.email, session_id: claims.sid, owner_id: null, ...base },
        rateLimitPerMin: null,
        uncheckedRevocationKeys: options.deferRevocationCheck ? revocation : [],
        passwordChangeRequired: claims.pwc === true,
      };
    } else {
      caller = guest(base);
    }
    res.locals.caller = caller;
    next();
  };
}

/**
 * A key the gateway does not hold costs auth a call and a query. It is asked only while the client
 * has guest budget left, and a key auth refuses spends from it, so a client guessing keys reaches
 * 429 and from then on costs auth nothing; a valid key spends nothing (an integrator's traffic is
 * limited by the key's own budget, even while the gateway cannot cache keys). A burst of bad keys
 * sent at once can pass the check together, overrunning the budget by at most that burst once.
 */
async function verifyUnknownKey(deps: AuthenticateDeps, key: string, ip: string) {
  await deps.clientBudget.assertLeft(ip);
  try {
    return await deps.apiKeys.verify(key, ip);
  } catch (err) {
    if (isAppError(err) && err.code === 'unauthorized') await deps.clientBudget.spend(ip);
    throw err;
  }
}

export const callerOf = (res: { locals: Record<string, unknown> }): Caller => {
  const c = res.locals.caller as Caller | undefined;
  if (!c) throw new AppError('internal_error', 'authenticate middleware did not run');
  return c;
};
