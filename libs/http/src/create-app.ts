import cors from 'cors';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from '@inkwell/logger';
import { errorHandler, notFound } from './error-handler';
import { createHttpMetrics, type HttpMetrics } from './metrics';
import { readinessHandler, type ReadinessCheck } from './readiness';
import { requestId } from './request-id';
import { requestLog } from './request-log';

export interface ServiceAppOptions {
  readonly service: string;
  readonly logger: Logger;
  readonly corsOrigins: readonly string[];
  readonly jsonLimit: string;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  readonly readinessTimeoutMs?: number;
  /** Mounted after the common middleware, before the 404 and error handlers. */
  readonly routes: (app: Express) => void;
  /** Extra handlers in front of the body parser (e.g. a streaming proxy that must see the raw body). */
  readonly beforeBodyParser?: Router;
  readonly metrics?: HttpMetrics;
  /** `/metrics` on the app itself; the gateway guards its own. */
  readonly exposeMetrics?: boolean;
  readonly trustProxy?: boolean;
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
  app.set('trust proxy', opts.trustProxy ?? false);
  app.set('query parser', 'simple');
  app.use(requestId);
  app.use(requestLog(opts.logger));
  app.use(metrics.middleware);
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(cors({ origin: [...opts.corsOrigins], credentials: true, exposedHeaders: ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'] }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: opts.service });
  });
  app.get('/readyz', readinessHandler(opts.readiness, opts.readinessTimeoutMs ?? 1500));
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
