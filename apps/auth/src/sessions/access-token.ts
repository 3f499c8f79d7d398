import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '@inkwell/contracts';
import type { SigningKey } from '../keys/signing-key';

export interface AccessTokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

/** A short-lived RS256 JWT; `sid` names the sign-in so logout can revoke it at once. */
export function signAccessToken(
  key: SigningKey,
  settings: AccessTokenSettings,
  claims: { userId: string; role: Role; email: string; sessionId: string },
): string {
  return jwt.sign({ role: claims.role, email: claims.email, sid: claims.sessionId }, key.privateKey, {
    algorithm: 'RS256',
    keyid: key.kid,
    issuer: settings.issuer,
    audience: settings.audience,
    subject: claims.userId,
    expiresIn: settings.ttlSeconds,
    jwtid: randomUUID(),
  });
}
