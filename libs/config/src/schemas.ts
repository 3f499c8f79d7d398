import { z } from 'zod';
import { bool, host, int, list, port, trustProxy, url } from './env-types';

/**
 * Every variable any Inkwell process reads. `.env.example` documents exactly these keys
 * (a test fails if the two drift apart).
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

export const ServiceUrls = z.object({
  AUTH_URL: url('http://127.0.0.1:8081'),
  INFERENCE_URL: url('http://127.0.0.1:8082'),
  TRAINER_URL: url('http://127.0.0.1:8083'),
  REPORT_URL: url('http://127.0.0.1:8084'),
  AUDIT_URL: url('http://127.0.0.1:8085'),
});

export const GatewayEnv = CommonEnv.extend(ServiceUrls.shape).extend({
  GATEWAY_PORT: port(8080),
  /** Each service binds its own address: only the gateway is meant to be reachable from outside. */
  GATEWAY_HOST: host(),
  PUBLIC_URL: url('http://localhost:8080'),
  RATE_LIMIT_WINDOW_S: int(60, 1),
  RATE_LIMIT_GUEST: int(100, 1),
  RATE_LIMIT_USER: int(10_000, 1),
  JWKS_CACHE_S: int(300, 1),
  JWT_ISSUER: z.string().default('inkwell-auth'),
  JWT_AUDIENCE: z.string().default('inkwell'),
  UPSTREAM_TIMEOUT_MS: int(30_000, 100),
  /** Proxies in front of the gateway whose X-Forwarded-For entries count: false, a hop count or CIDRs (never `true`). */
  TRUST_PROXY: trustProxy(),
  WEB_DIST_DIR: z.string().default('apps/web/dist'),
  READY_CHECK_TIMEOUT_MS: int(1500, 50),
  /** Lets Prometheus scrape the gateway's /metrics with `Authorization: Bearer <token>` (admins need none). */
  METRICS_TOKEN: z.string().min(24).optional(),
});
export type GatewayEnv = z.infer<typeof GatewayEnv>;

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


export const InferenceEnv = CommonEnv.extend({
  INFERENCE_PORT: port(8082),
  INFERENCE_HOST: host(),
  /** Folders `<dir>/<model_id>/` holding model.onnx, manifest.json and metrics.json. */
  INFERENCE_MODEL_DIR: z.string().default('models'),
  /** Folder names to serve as one ensemble; empty serves every valid folder found. */
  INFERENCE_ACTIVE_MODELS: list('').refine((ids) => new Set(ids).size === ids.length, 'names a folder twice (an ensemble of a model with itself is that model, weighted)'),
  INFERENCE_TTA: z.enum(['none', 'light', 'strong']).default('none'),
  INFERENCE_UNCERTAIN_THRESHOLD: z.coerce.number().min(0).max(1).default(0.7),
  INFERENCE_EXECUTION_PROVIDER: z.enum(['cpu', 'cuda', 'tensorrt']).default('cpu'),
  /** Worker threads running ONNX Runtime (each runs one batch at a time), and ORT threads in each. */
  INFERENCE_WORKERS: int(2, 1),
  INFERENCE_INTRA_OP_THREADS: int(1, 1),
  /** Dynamic batching: most input rows (TTA variants included) in one run, and how long the first may wait. */
  INFERENCE_BATCH_MAX_ROWS: int(64, 1),
  INFERENCE_BATCH_MAX_WAIT_US: int(0, 0),
  /** Requests admitted at once (reading, preprocessing, queued, running); more answer 503 at once. */
  INFERENCE_MAX_QUEUE: int(256, 1),
  /** Images in preprocessing at once (decode + pixel stages); the rest wait in order. Bounds how long
   * the event loop is busy between two looks at the network (health checks). */
  INFERENCE_PREPROCESS_CONCURRENCY: int(4, 1),
  INFERENCE_TIMEOUT_MS: int(5000, 10),
  INFERENCE_MAX_UPLOAD_BYTES: int(2 * 1024 * 1024, 1024),
  INFERENCE_MAX_SIDE_PX: int(1024, 28),
  INFERENCE_MAX_PIXELS: int(16_000_000, 784),
  INFERENCE_USAGE_FLUSH_MS: int(5000, 100),
  /** Days to keep each uploaded image (with its answer) in PostgreSQL; 0 keeps none. */
  INFERENCE_IMAGE_RETENTION_DAYS: int(0, 0),
});
export type InferenceEnv = z.infer<typeof InferenceEnv>;
export const TrainerEnv = CommonEnv.extend({ TRAINER_PORT: port(8083), TRAINER_HOST: host() });
export type TrainerEnv = z.infer<typeof TrainerEnv>;
export const ReportEnv = CommonEnv.extend({ REPORT_PORT: port(8084), REPORT_HOST: host() });
export type ReportEnv = z.infer<typeof ReportEnv>;
export const AuditEnv = CommonEnv.extend({ AUDIT_PORT: port(8085), AUDIT_HOST: host() });
export type AuditEnv = z.infer<typeof AuditEnv>;

/** Every schema, for the `.env.example` drift test. */
export const ALL_ENV_SCHEMAS = { GatewayEnv, AuthEnv, InferenceEnv, TrainerEnv, ReportEnv, AuditEnv } as const;
