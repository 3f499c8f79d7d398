import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '@inkwell/logger';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The JWKS document the gateway fetches to verify access tokens. */
  readonly jwks: { keys: Record<string, unknown>[] };
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  // RFC 7638 thumbprint: a stable key id without bookkeeping.
  const kid = createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })).digest('base64url');
  return { kid, privateKey, jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] } };
}

/** Loads auth's RS256 key; in development a missing key is generated (never committed: .data/ is ignored). */
export function loadSigningKey(path: string, logger: Logger, allowGenerate: boolean): SigningKey {
  if (existsSync(path)) return fromPrivate(createPrivateKey(readFileSync(path)));
  if (!allowGenerate) throw new Error(`JWT_PRIVATE_KEY_PATH ${path} does not exist`);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  logger.warn({ path }, 'generated a development JWT signing key');
  return fromPrivate(privateKey);
}

/** For tests: a fresh key held in memory. */
export const ephemeralSigningKey = (): SigningKey => fromPrivate(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
