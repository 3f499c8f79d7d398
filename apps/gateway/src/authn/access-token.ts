import jwt from 'jsonwebtoken';
import { AccessTokenClaims } from '@inkwell/contracts';
import { ExpiringCache } from '@inkwell/auth-guard';
import type { JwksCache } from './jwks-cache';

export type AccessClaims = AccessTokenClaims;

/**
 * Verifies an access token: RS256 only (so `none` and HS256-with-the-public-key are refused),
 * a known key id, our issuer and audience, an `exp` that has not passed (a token without one is
 * refused: it would never expire), and the claims we rely on present.
 */
// A busy client sends the same token many times a second: one RSA verification per token is
// enough (until it expires). Revocation is still checked on every request by the caller.
const verified = new ExpiringCache<AccessClaims>();

export async function verifyAccessToken(token: string, jwks: JwksCache, issuer: string, audience: string): Promise<AccessClaims | null> {
  const cacheKey = `${issuer}|${audience}|${token}`;
  const hit = verified.get(cacheKey);
  if (hit) return hit;
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string' || decoded.header.alg !== 'RS256' || !decoded.header.kid) return null;
  const key = await jwks.get(decoded.header.kid);
  if (!key) return null;
  try {
    const claims = AccessTokenClaims.safeParse(jwt.verify(token, key, { algorithms: ['RS256'], issuer, audience }));
    if (!claims.success) return null;
    verified.set(cacheKey, claims.data, claims.data.exp * 1000);
    return claims.data;
  } catch {
    return null;
  }
}
