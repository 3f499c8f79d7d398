import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { AccessTokenClaims, Role } from '@inkwell/contracts';
import type { SigningKey } from '../keys/signing-key';

export interface AccessTokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

/**
 * A short-lived RS256 JWT; `sid` names the sign-in so logout can revoke it at once, and `pwc` (only
 * when true) tells the gateway this session must change its temporary password before anything else.
 */
export function signAccessToken(
  key: SigningKey,
  settings: AccessTokenSettings,
  claims: { userId: string; role: Role; email: string; sessionId: string; passwordChangeRequired: boolean },
): string {
  // `sub` and `exp` are set by the options below.
  const payload: Omit<AccessTokenClaims, 'sub' | 'exp'> = {
    role: claims.role,
    email: claims.email,
    sid: claims.sessionId,
    ...(claims.passwordChangeRequired ? { pwc: true } : {}),
  };
  return jwt.sign(payload, key.privateKey, {
    algorithm: 'RS256',
    keyid: key.kid,
    issuer: settings.issuer,
    audience: settings.audience,
    subject: claims.userId,
    expiresIn: settings.ttlSeconds,
    jwtid: randomUUID(),
  });
}
