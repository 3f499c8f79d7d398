import { join } from 'node:path';
import { AuthEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';
import { buildAuth } from './app';
import { loadSigningKey, type SigningKey } from './keys/signing-key';
import { AUTH_MIGRATIONS, AUTH_SCHEMA } from './migrations';

export interface AuthServiceOptions {
  /** The access-token signing key; by default JWT_PRIVATE_KEY_PATH (generated in development when missing). */
  readonly signingKey?: SigningKey;
}

/**
 * The auth service: sign-in, sessions, users, API keys and the JWKS the gateway verifies with.
 * A function of its options so a test can hand it an in-memory key instead of a file.
 */
export function authServiceWith(opts: AuthServiceOptions = {}) {
  return defineService({
    name: 'auth',
    env: AuthEnv,
    port: (c) => c.AUTH_PORT,
    schema: AUTH_SCHEMA,
    migrations: AUTH_MIGRATIONS,
    build: (ctx) => {
      const { config, logger } = ctx;
      const key = opts.signingKey ?? loadSigningKey(config.JWT_PRIVATE_KEY_PATH ?? join(config.DATA_DIR, 'keys', 'jwt-private.pem'), logger, config.NODE_ENV !== 'production');
      return buildAuth(ctx, key);
    },
  });
}

export const authService = authServiceWith();
