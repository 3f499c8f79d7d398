import { Router, type Express } from 'express';
import type { Registry } from 'prom-client';
import { PUBLIC_ROUTES, type ServiceName } from '@inkwell/contracts';
import type { GatewayEnv } from '@inkwell/config';
import type { ReadinessCheck } from '@inkwell/http';
import { TypedQueue } from '@inkwell/queue';
import { assembleService, type EdgeContext } from '@inkwell/runtime';
import { auditApiCalls } from './audit/api-call-audit';
import { AuditBatcher } from './audit/audit-batcher';
import { ApiKeyCache } from './authn/api-key-cache';
import { subscribeApiKeyInvalidations } from './authn/api-key-invalidations';
import { ApiKeyVerifier } from './authn/api-key-verifier';
import { authenticate } from './authn/authenticate';
import { authorize } from './authn/authorize';
import { metricsAccess } from './authn/metrics-access';
import { JwksCache } from './authn/jwks-cache';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { docsRoutes } from './openapi/docs.routes';
import { routeProxies } from './proxy/route-proxies';
import { QUEUES_BOARD_PATH, queuesBoard } from './queues-board/queues-board';
import { ClientBudget } from './rate-limit/client-budget';
import { MODEL_FILE_PATH, modelFileBudget } from './rate-limit/model-file-budget';
import { rateLimit } from './rate-limit/rate-limit.middleware';
import { SlidingWindowLimiter } from './rate-limit/sliding-window';
import { webApp } from './web/web-app';
// service.ts imports this file too; each side uses the other only inside functions, so the cycle is harmless.
import { gatewayService } from './service';

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

/**
 * The gateway's `build`: authentication (JWT via auth's JWKS, API keys), rate limits, the route
 * table's access checks and proxies, the OpenAPI document, the queue board and the web app. It
 * owns no tables; its readiness is Redis and every service's own /readyz.
 */
export function composeGateway(ctx: EdgeContext<GatewayEnv>) {
  const { config, logger, redis } = ctx;
  const routes = PUBLIC_ROUTES;
  const urls = upstreamUrls(config);
  const jwks = new JwksCache(`${config.AUTH_URL}/.well-known/jwks.json`, config.JWKS_CACHE_S * 1000);
  const limiter = new SlidingWindowLimiter(redis, config.REDIS_PREFIX, config.RATE_LIMIT_WINDOW_S);
  const apiKeys = new ApiKeyVerifier({ authUrl: config.AUTH_URL, internalSecret: config.INTERNAL_TOKEN_SECRET }, new ApiKeyCache(API_KEY_CACHE_TTL_MS));
  const clientBudget = new ClientBudget(limiter, config.RATE_LIMIT_GUEST);
  const authnDeps = { jwks, redis, redisPrefix: config.REDIS_PREFIX, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, apiKeys, clientBudget };
  const authn = authenticate(authnDeps);
  const limits = rateLimit(limiter, { guestPerWindow: config.RATE_LIMIT_GUEST, userPerWindow: config.RATE_LIMIT_USER });
  const board = queuesBoard(redis, config.REDIS_PREFIX);
  const document = buildOpenApiDocument(routes, config.PUBLIC_URL, '0.1.0');
  const auditQueue = new TypedQueue('audit', redis, config.REDIS_PREFIX);
  const apiCalls = new AuditBatcher(auditQueue, logger, { flushMs: config.GATEWAY_AUDIT_FLUSH_MS, maxBuffered: config.GATEWAY_AUDIT_MAX_BUFFERED });

  const readiness: Record<string, ReadinessCheck> = {};
  for (const [name, url] of Object.entries(urls)) readiness[name] = () => serviceReady(url, config.READY_CHECK_TIMEOUT_MS);

  const proxyFor = routeProxies(routes, urls, config.INTERNAL_TOKEN_SECRET, config.UPSTREAM_TIMEOUT_MS);

  const api = Router();
  // The API's authenticate leaves the revocation check to the rate limiter right behind it: one
  // Redis round trip per signed-in request instead of two.
  // Every API call becomes an audit event, refusals included, so it goes in front of authentication.
  api.use(['/api', '/v1'], auditApiCalls((e) => apiCalls.push(e)), authenticate(authnDeps, { deferRevocationCheck: true }), limits);
  api.get(MODEL_FILE_PATH, modelFileBudget(limiter, config.RATE_LIMIT_MODEL_FILES));
  for (const r of routes) api[r.method](expressPath(r.path), authorize(r.access, { allowDuringPasswordChange: r.allowDuringPasswordChange }), proxyFor(r));

  let stopApiKeyInvalidations: () => Promise<void> = async () => undefined;
  return {
    readiness,
    app: {
      readinessTimeoutMs: config.READY_CHECK_TIMEOUT_MS + 200,
      // The public sees ready/not ready only; which dependency failed, and how (addresses), is an admin's.
      readinessDetailGuard: [authn, authorize('admin')],
      exposeMetrics: false,
      parseJson: false,
      trustProxy: config.TRUST_PROXY,
    },
    routes: (a: Express, metrics: Registry) => {
      a.use(docsRoutes(document));
      a.get('/metrics', metricsAccess(config.METRICS_TOKEN, [authn, authorize('admin')]), async (_req, res) => {
        res.type(metrics.contentType).send(await metrics.metrics());
      });
      a.use(QUEUES_BOARD_PATH, authn, authorize('admin'), board.router);
      a.use(api);
      a.use(webApp(config.WEB_DIST_DIR));
    },
    start: () => {
      stopApiKeyInvalidations = subscribeApiKeyInvalidations(redis, config.REDIS_PREFIX, apiKeys.cache, logger);
      apiCalls.start();
    },
    stop: async () => {
      await stopApiKeyInvalidations();
      await board.close();
      await apiCalls.stop();
      await auditQueue.close();
    },
    exposes: { document, apiCalls },
  };
}

/**
 * The gateway's app, built through its service definition and started, without listening (for a
 * test that serves it itself). `close` stops it; the caller keeps its Redis connection.
 */
export function buildGateway(ctx: EdgeContext<GatewayEnv>): { app: Express; document: ReturnType<typeof buildOpenApiDocument>; close(): Promise<void> } {
  const gateway = assembleService(gatewayService, ctx);
  const started = gateway.start();
  return {
    app: gateway.app,
    document: gateway.exposes.document,
    close: async () => {
      await started;
      await gateway.stop();
    },
  };
}
