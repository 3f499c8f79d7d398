import { z } from 'zod';
import { int, list, url } from './env-types';

/**
 * What every Inkwell process reads. Each service's schema (one file per service beside this one)
 * extends it; `.env.example` documents exactly the union (a test fails if the two drift apart).
 */
export const CommonEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url('postgres://postgres@127.0.0.1:5432/inkwell'),
  REDIS_URL: url('redis://127.0.0.1:6379'),
  /** Namespace of every Redis key and BullMQ queue; tests isolate themselves by it. */
  REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/).default('inkwell'),
  /** Signs the short-lived identity the gateway forwards to services (HS256, >= 32 chars; in production
   * >= 32 bytes and not a value published in this repository). */
  INTERNAL_TOKEN_SECRET: z.string().min(32),
  DATA_DIR: z.string().default('./.data'),
  /** Dev origins by default; in production none unless configured (PRODUCTION_DEFAULTS). */
  CORS_ORIGINS: list('http://localhost:8080,http://localhost:5173'),
  JSON_BODY_LIMIT: z.string().default('1mb'),
  SHUTDOWN_TIMEOUT_MS: int(25_000, 1000),
});
export type CommonEnv = z.infer<typeof CommonEnv>;
