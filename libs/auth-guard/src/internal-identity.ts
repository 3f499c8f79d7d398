import { type KeyObject, createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Identity } from '@inkwell/contracts';

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

/** The gateway's signature over who is calling; valid for seconds, only inside the platform. */
export function signIdentity(identity: Identity, secret: string, ttlSeconds = 60): string {
  return jwt.sign({ id: identity }, keyOf(secret), { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: ttlSeconds });
}

/** Returns the identity, or null for anything not signed by the gateway with this secret. */
export function verifyIdentity(token: string, secret: string): Identity | null {
  try {
    const claims = jwt.verify(token, keyOf(secret), { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    if (typeof claims === 'string') return null;
    const parsed = Identity.safeParse((claims as { id?: unknown }).id);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
