import jwt from 'jsonwebtoken';
import { Identity } from '@inkwell/contracts';

const ISSUER = 'inkwell-gateway';
const AUDIENCE = 'inkwell-services';

/** The gateway's signature over who is calling; valid for seconds, only inside the platform. */
export function signIdentity(identity: Identity, secret: string, ttlSeconds = 60): string {
  return jwt.sign({ id: identity }, secret, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: ttlSeconds });
}

/** Returns the identity, or null for anything not signed by the gateway with this secret. */
export function verifyIdentity(token: string, secret: string): Identity | null {
  try {
    const claims = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    if (typeof claims === 'string') return null;
    const parsed = Identity.safeParse((claims as { id?: unknown }).id);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
