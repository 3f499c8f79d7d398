import { randomBytes } from 'node:crypto';
import { processEnv, type EnvSource } from '@inkwell/config';
import { createTestDatabase, type TestDatabase } from '@inkwell/db';
import { createRedis, deleteNamespace } from '@inkwell/queue';
import { inject } from 'vitest';

export interface TestEnv {
  /** The environment a service under test should load its config from. */
  readonly env: Record<string, string | undefined>;
  readonly database: TestDatabase;
  readonly redisPrefix: string;
  /** Drops the database and every Redis key under the prefix. */
  cleanup(): Promise<void>;
}

/**
 * Isolation for one test file: its own database (copied from the migrated template) and its own
 * Redis namespace, both removed by `cleanup`.
 */
export async function createTestEnv(overrides: EnvSource = {}): Promise<TestEnv> {
  const base = processEnv();
  const database = await createTestDatabase(base.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', inject('templateDatabase'));
  const redisPrefix = `t${randomBytes(5).toString('hex')}`;
  // TRAINER_REGISTER_DEFAULT_MODELS off: scoring the five shipped models in every test file's trainer would take the CPUs for minutes; tests that want them say so.
  // TRAINER_PRESETS none: tests that register the shipped models do not also get the presets (ResNet-18's scoring alone takes minutes).
  const env: Record<string, string | undefined> = { ...base, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, REDIS_PREFIX: redisPrefix, TRAINER_REGISTER_DEFAULT_MODELS: 'false', TRAINER_PRESETS: 'none', ...overrides };
  return {
    env,
    database,
    redisPrefix,
    async cleanup() {
      const redis = createRedis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
      try {
        await deleteNamespace(redis, redisPrefix);
      } finally {
        redis.disconnect();
      }
      await database.drop();
    },
  };
}
