import { z } from 'zod';
import { bool, host, int, port, url } from './env-types';
import { CommonEnv } from './common';

/** The auth service: sign-in, tokens, users, API keys, and the mail it sends. */
export const AuthEnv = CommonEnv.extend({
  AUTH_PORT: port(8081),
  AUTH_HOST: host(),
  PUBLIC_URL: url('http://localhost:8080'),
  /** RS256 signing key; absent means `<DATA_DIR>/keys/jwt-private.pem`, so instances with their own DATA_DIR never share one. */
  JWT_PRIVATE_KEY_PATH: z.string().optional(),
  JWT_ISSUER: z.string().default('inkwell-auth'),
  JWT_AUDIENCE: z.string().default('inkwell'),
  ACCESS_TOKEN_TTL_S: int(900, 10),
  REFRESH_TOKEN_TTL_S: int(86_400, 60),
  ADMIN_EMAIL: z.email().default('admin@inkwell.local'),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  API_KEY: z.string().min(24).optional(),
  API_KEY_ROLE: z.enum(['viewer', 'engineer', 'admin']).default('viewer'),
  SMTP_URL: z.url().optional(),
  SMTP_FROM: z.string().min(3).default('Inkwell <no-reply@inkwell.invalid>'),
  LOGIN_WINDOW_S: int(900, 1),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(10, 1),
  LOGIN_MAX_FAILURES_PER_IP: int(50, 1),
  /** Once an account has LOGIN_MAX_FAILURES_PER_ACCOUNT failures, clients that failed on it get one check per this many seconds. */
  LOGIN_SLOW_INTERVAL_S: int(2, 1),
  /** argon2 checks and hashes at once (libuv runs 4 by default), and how many may wait before the next is refused. */
  ARGON2_CONCURRENCY: int(4, 1),
  ARGON2_QUEUE_MAX: int(64, 1),
  /** An administrator-set temporary password stops working after this many hours. */
  TEMP_PASSWORD_TTL_H: int(72, 1),
  /** Defaults to true in production (PRODUCTION_DEFAULTS). */
  COOKIE_SECURE: bool(false),
  RATE_LIMIT_GUEST: int(100, 1),
  RATE_LIMIT_USER: int(10_000, 1),
});
export type AuthEnv = z.infer<typeof AuthEnv>;
