import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  readonly registry: Registry;
  readonly middleware: RequestHandler;
}

let processMetrics: Registry | undefined;

/**
 * The process's own metrics (CPU, memory, GC, event-loop lag), collected once per process:
 * prom-client's collectors (a GC observer, a lag histogram) cannot be stopped, and a process that
 * starts services one after another (the tests) would otherwise pile up one set per start.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/** Request counts and latency by route template (never raw paths: ids would explode cardinality). */
export function createHttpMetrics(service: string): HttpMetrics {
  // A metric may sit in several registries; each registry adds its own `service` label when scraped.
  const registry = Registry.merge([processRegistry()]);
  registry.setDefaultLabels({ service });
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const routePath: unknown = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? `${req.baseUrl}${routePath}` : res.locals.routeLabel ?? 'unmatched';
      const labels = { method: req.method, route: String(route), status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
  return { registry, middleware };
}
