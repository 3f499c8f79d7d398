import type { Identity, Role } from '@inkwell/contracts';
import { signIdentity } from '@inkwell/auth-guard';
import { AuthEnv, loadConfig } from '@inkwell/config';
import { createDb } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { createRedis } from '@inkwell/queue';
import { assembleService } from '@inkwell/runtime';
import { createTestEnv } from '@inkwell/testing';
import { ephemeralSigningKey } from '../keys/signing-key';
import { AUTH_SCHEMA } from '../migrations';
import { authServiceWith } from '../service';
import { findUserByEmail } from '../users/users.store';

/**
 * The auth service on its own test database and Redis namespace, built through its definition but
 * not started (no admin seeded from the environment, no relay running: tests drive those), plus
 * helpers to call it as the gateway would.
 */
export async function authFixture(overrides: Record<string, string> = {}) {
  const testEnv = await createTestEnv(overrides);
  const config = loadConfig(AuthEnv, testEnv.env);
  const logger = createLogger('auth', 'silent');
  const db = createDb({ url: config.DATABASE_URL, schema: AUTH_SCHEMA, poolMax: 4 });
  const redis = createRedis(config.REDIS_URL);
  const key = ephemeralSigningKey();
  const service = assembleService(authServiceWith({ signingKey: key }), { config, logger, db, redis });
  const auth = { app: service.app, ...service.exposes };
  const identity = (over: Partial<Identity> = {}): string =>
    signIdentity({ kind: 'guest', sub: null, role: null, email: null, session_id: null, ip: '203.0.113.7', user_agent: 'vitest', ...over }, config.INTERNAL_TOKEN_SECRET);
  const asUser = (sub: string, role: Role, over: Partial<Identity> = {}) => identity({ kind: 'user', sub, role, email: `${sub}@x`, ...over });
  /** Creates an admin (as start-up does from ADMIN_EMAIL) and returns their user id. */
  const createAdmin = async (email: string, password: string): Promise<string> => {
    await auth.users.ensureAdmin(email, password);
    const row = await findUserByEmail(db, email);
    if (!row) throw new Error(`admin ${email} was not created`);
    return row.id;
  };
  return {
    ...auth,
    config,
    db,
    redis,
    key,
    identity,
    asUser,
    createAdmin,
    async close() {
      await service.stop();
      redis.disconnect();
      await db.destroy();
      await testEnv.cleanup();
    },
  };
}
export type AuthFixture = Awaited<ReturnType<typeof authFixture>>;
