import { z } from 'zod';
import { host, int, port, trustProxy, url } from './env-types';
import { CommonEnv } from './common';

/** Where the gateway reaches each service, and its own settings (the one public process). */
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
  /** Model-file downloads (GET /v1/models/{id}/model.onnx, megabytes each) per client IP per window, on top of the usual budget. */
  RATE_LIMIT_MODEL_FILES: int(20, 1),
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
  /** How often API-call audit events are sent to the `audit` queue, in one batch (a crash loses at most this much). */
  GATEWAY_AUDIT_FLUSH_MS: int(1000, 10),
  /** API-call audit events held in memory while Redis refuses them; beyond this the oldest are dropped. */
  GATEWAY_AUDIT_MAX_BUFFERED: int(50_000, 100),
});
export type GatewayEnv = z.infer<typeof GatewayEnv>;
