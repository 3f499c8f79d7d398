import cors from 'cors';
import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from '@inkwell/logger';
import { errorHandler, notFound } from './error-handler';
import { createHttpMetrics, type HttpMetrics } from './metrics';
import { cachedReadiness, readinessHandler, type ReadinessCheck } from './readiness';
import { requestId } from './request-id';
import { requestLog } from './request-log';

export interface ServiceAppOptions {
  readonly service: string;
  readonly logger: Logger;
  readonly corsOrigins: readonly string[];
  readonly jsonLimit: string;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  readonly readinessTimeoutMs?: number;
  /** For a public app (the gateway): `/readyz` answers only its status, and the per-dependency
   * detail (`/readyz?detail=1`) only to callers these handlers let through. Absent: services, whose
   * port is internal, show the detail to every caller. */
  readonly readinessDetailGuard?: readonly RequestHandler[];
  /** Mounted after the common middleware, before the 404 and error handlers. */
  readonly routes: (app: Express) => void;
  /** Extra handlers in front of the body parser (e.g. a streaming proxy that must see the raw body). */
  readonly beforeBodyParser?: Router;
  readonly metrics?: HttpMetrics;
  /** `/metrics` on the app itself; the gateway guards its own. */
  readonly exposeMetrics?: boolean;
  /** Express `trust proxy`: false, a hop count, or the proxies' addresses/CIDRs (never `true`). */
  readonly trustProxy?: false | number | readonly string[];
  /** The gateway streams bodies through untouched, so it parses none. */
  readonly parseJson?: boolean;
}

/**
 * The express app every service is built on: security headers, CORS allow-list, request ids in
 * and out, one JSON log line per request, body limits, health/readiness, Prometheus metrics, and
 * the one error handler.
 */
export function createServiceApp(opts: ServiceAppOptions): { app: Express; metrics: HttpMetrics } {
  const app = express();
  const metrics = opts.metrics ?? createHttpMetrics(opts.service);
  app.disable('x-powered-by');
  const trust = opts.trustProxy ?? false;
  app.set('trust proxy', Array.isArray(trust) ? [...trust] : trust);
  app.set('query parser', 'simple');
  app.use(requestId);
  app.use(requestLog(opts.logger));
  app.use(metrics.middleware);
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(cors({ origin: [...opts.corsOrigins], credentials: true, exposedHeaders: ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'] }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: opts.service });
  });
  const readiness = cachedReadiness(opts.readiness, opts.readinessTimeoutMs ?? 1500);
  if (opts.readinessDetailGuard) {
    app.get('/readyz', (req, _res, next) => next(req.query.detail === undefined ? 'route' : undefined), ...opts.readinessDetailGuard, readinessHandler(readiness, { detail: true }));
    app.get('/readyz', readinessHandler(readiness, { detail: false }));
  } else {
    app.get('/readyz', readinessHandler(readiness, { detail: true }));
  }
  if (opts.exposeMetrics ?? true) {
    app.get('/metrics', async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
  if (opts.beforeBodyParser) app.use(opts.beforeBodyParser);
  if (opts.parseJson ?? true) app.use(express.json({ limit: opts.jsonLimit }));
  opts.routes(app);
  app.use(notFound);
  app.use(errorHandler(opts.logger));
  return { app, metrics };
}
