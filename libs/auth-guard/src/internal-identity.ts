import { type KeyObject, createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Identity } from '@inkwell/contracts';
import { ExpiringCache } from './expiring-cache';

const ISSUER = 'inkwell-gateway';
const AUDIENCE = 'inkwell-services';

// Given a string, jsonwebtoken builds a KeyObject on every call, first trying (and failing) to
// parse it as a public/private key: that was 10-18 % of the CPU of a gateway or service request.
// The same bytes as a KeyObject made once sign and verify identically.
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

const signed = new ExpiringCache<string>();
const verified = new ExpiringCache<Identity>();

/**
 * The gateway's signature over who is calling; valid for seconds, only inside the platform. The
 * same caller gets the same token for half its lifetime, so services can cache their check too.
 */
export function signIdentity(identity: Identity, secret: string, ttlSeconds = 60): string {
  // Keyed by the secret too: a process holding two secrets (tests, a rotation) gets each one's signature.
  const key = `${secret}\u0000${JSON.stringify(identity)}`;
  const cached = signed.get(key);
  if (cached) return cached;
  const token = jwt.sign({ id: identity }, keyOf(secret), { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: ttlSeconds });
  signed.set(key, token, Date.now() + (ttlSeconds * 1000) / 2);
  return token;
}

/** Returns the identity, or null for anything not signed by the gateway with this secret. */
export function verifyIdentity(token: string, secret: string): Identity | null {
  const cacheKey = `${secret}\u0000${token}`; // never a hit for a token another secret signed
  const hit = verified.get(cacheKey);
  if (hit) return hit;
  try {
    const claims = jwt.verify(token, keyOf(secret), { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    if (typeof claims === 'string') return null;
    const parsed = Identity.safeParse((claims as { id?: unknown }).id);
    if (!parsed.success) return null;
    // Never past the token's own expiry.
    if (typeof claims.exp === 'number') verified.set(cacheKey, parsed.data, claims.exp * 1000);
    return parsed.data;
  } catch {
    return null;
  }
}
