import { Router } from 'express';
import type { Redis } from 'ioredis';
import { PUBLIC_ROUTES, type RouteDef, type ServiceName } from '@inkwell/contracts';
import type { GatewayEnv } from '@inkwell/config';
import { createHttpMetrics, createServiceApp, type ReadinessCheck } from '@inkwell/http';
import type { Logger } from '@inkwell/logger';
import { pingRedis } from '@inkwell/queue';
import { authenticate } from './authn/authenticate';
import { authorize } from './authn/authorize';
import { metricsAccess } from './authn/metrics-access';
import { JwksCache } from './authn/jwks-cache';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { docsRoutes } from './openapi/docs.routes';
import { proxyTo } from './proxy/proxy';
import { QUEUES_BOARD_PATH, queuesBoard } from './queues-board/queues-board';
import { rateLimit } from './rate-limit/rate-limit.middleware';
import { SlidingWindowLimiter } from './rate-limit/sliding-window';
import { webApp } from './web/web-app';

export interface GatewayDeps {
  readonly config: GatewayEnv;
  readonly logger: Logger;
  readonly redis: Redis;
  readonly routes?: readonly RouteDef[];
  readonly version?: string;
}

/** `{id}` (OpenAPI) -> `:id` (express). */
export const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

const upstreamUrls = (c: GatewayEnv): Record<ServiceName, string> => ({
  auth: c.AUTH_URL,
  inference: c.INFERENCE_URL,
  trainer: c.TRAINER_URL,
  report: c.REPORT_URL,
  audit: c.AUDIT_URL,
});

async function serviceReady(url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`not ready (${res.status}): ${JSON.stringify(body)}`);
  return body;
}

export function buildGateway(deps: GatewayDeps) {
  const { config, logger, redis } = deps;
  const routes = deps.routes ?? PUBLIC_ROUTES;
  const urls = upstreamUrls(config);
  const jwks = new JwksCache(`${config.AUTH_URL}/.well-known/jwks.json`, config.JWKS_CACHE_S * 1000);
  const authnDeps = { jwks, redis, redisPrefix: config.REDIS_PREFIX, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, authUrl: config.AUTH_URL, internalSecret: config.INTERNAL_TOKEN_SECRET };
  const authn = authenticate(authnDeps);
  const limiter = new SlidingWindowLimiter(redis, config.REDIS_PREFIX, config.RATE_LIMIT_WINDOW_S);
  const limits = rateLimit(limiter, { guestPerWindow: config.RATE_LIMIT_GUEST, userPerWindow: config.RATE_LIMIT_USER });
  const board = queuesBoard(redis, config.REDIS_PREFIX);
  const metrics = createHttpMetrics('gateway');
  const document = buildOpenApiDocument(routes, config.PUBLIC_URL, deps.version ?? '0.1.0');

  const readiness: Record<string, ReadinessCheck> = { redis: () => pingRedis(redis) };
  for (const [name, url] of Object.entries(urls)) readiness[name] = () => serviceReady(url, config.READY_CHECK_TIMEOUT_MS);

  // Proxies are built once per service so each keeps one keep-alive pool.
  const proxies = Object.fromEntries(
    (Object.entries(urls) as [ServiceName, string][]).map(([name, url]) => [name, proxyTo({ name, url: new URL(url) }, config.INTERNAL_TOKEN_SECRET, config.UPSTREAM_TIMEOUT_MS)]),
  ) as Record<ServiceName, ReturnType<typeof proxyTo>>;

  const api = Router();
  // The API's authenticate leaves the revocation check to the rate limiter right behind it: one
  // Redis round trip per signed-in request instead of two.
  api.use(['/api', '/v1'], authenticate(authnDeps, { deferRevocationCheck: true }), limits);
  for (const r of routes) api[r.method](expressPath(r.path), authorize(r.access), proxies[r.service]);

  const { app } = createServiceApp({
    service: 'gateway',
    logger,
    corsOrigins: config.CORS_ORIGINS,
    jsonLimit: config.JSON_BODY_LIMIT,
    readiness,
    readinessTimeoutMs: config.READY_CHECK_TIMEOUT_MS + 200,
    metrics,
    exposeMetrics: false,
    parseJson: false,
    trustProxy: config.TRUST_PROXY,
    routes: (a) => {
      a.use(docsRoutes(document));
      a.get('/metrics', metricsAccess(config.METRICS_TOKEN, [authn, authorize('admin')]), async (_req, res) => {
        res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      });
      a.use(QUEUES_BOARD_PATH, authn, authorize('admin'), board.router);
      a.use(api);
      a.use(webApp(config.WEB_DIST_DIR));
    },
  });
  return { app, document, close: board.close };
}
