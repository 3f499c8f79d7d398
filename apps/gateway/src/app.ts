import { Router } from 'express';
import type { Redis } from 'ioredis';
import { PUBLIC_ROUTES, type RouteDef, type ServiceName } from '@inkwell/contracts';
import type { GatewayEnv } from '@inkwell/config';
import { createHttpMetrics, createServiceApp, type ReadinessCheck } from '@inkwell/http';
import type { Logger } from '@inkwell/logger';
import { pingRedis } from '@inkwell/queue';
import { ApiKeyCache } from './authn/api-key-cache';
import { subscribeApiKeyInvalidations } from './authn/api-key-invalidations';
import { ApiKeyVerifier } from './authn/api-key-verifier';
import { authenticate } from './authn/authenticate';
import { authorize } from './authn/authorize';
import { metricsAccess } from './authn/metrics-access';
import { JwksCache } from './authn/jwks-cache';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { docsRoutes } from './openapi/docs.routes';
import { proxyTo } from './proxy/proxy';
import { QUEUES_BOARD_PATH, queuesBoard } from './queues-board/queues-board';
import { ClientBudget } from './rate-limit/client-budget';
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

/**
 * How long the gateway answers an API key without asking auth. Revocation is pushed (within a
 * round trip) and expiry is checked locally; this bounds how long a lost push can go unnoticed.
 */
const API_KEY_CACHE_TTL_MS = 30_000;

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
  const limiter = new SlidingWindowLimiter(redis, config.REDIS_PREFIX, config.RATE_LIMIT_WINDOW_S);
  const apiKeys = new ApiKeyVerifier({ authUrl: config.AUTH_URL, internalSecret: config.INTERNAL_TOKEN_SECRET }, new ApiKeyCache(API_KEY_CACHE_TTL_MS));
  const stopApiKeyInvalidations = subscribeApiKeyInvalidations(redis, config.REDIS_PREFIX, apiKeys.cache, logger);
  const clientBudget = new ClientBudget(limiter, config.RATE_LIMIT_GUEST);
  const authnDeps = { jwks, redis, redisPrefix: config.REDIS_PREFIX, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, apiKeys, clientBudget };
  const authn = authenticate(authnDeps);
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
  for (const r of routes) api[r.method](expressPath(r.path), authorize(r.access, { allowDuringPasswordChange: r.allowDuringPasswordChange }), proxies[r.service]);

  const { app } = createServiceApp({
    service: 'gateway',
    logger,
    corsOrigins: config.CORS_ORIGINS,
    jsonLimit: config.JSON_BODY_LIMIT,
    readiness,
    readinessTimeoutMs: config.READY_CHECK_TIMEOUT_MS + 200,
    // The public sees ready/not ready only; which dependency failed, and how (addresses), is an admin's.
    readinessDetailGuard: [authn, authorize('admin')],
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
  const close = async (): Promise<void> => {
    await stopApiKeyInvalidations();
    await board.close();
  };
  return { app, document, close };
}
