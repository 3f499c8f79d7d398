import type { RequestHandler } from 'express';
import type { RouteDef, ServiceName } from '@inkwell/contracts';
import { proxyTo } from './proxy';

/**
 * One proxy per service (each keeps one keep-alive pool), plus one per route that declares its own
 * `upstreamTimeoutMs`: such a route's service may rightly stay silent longer than the default
 * allows (a 50,000-image batch upload is unpacked before it is answered).
 */
export function routeProxies(routes: readonly RouteDef[], urls: Readonly<Record<ServiceName, string>>, secret: string, defaultTimeoutMs: number): (route: RouteDef) => RequestHandler {
  const byService = new Map<ServiceName, RequestHandler>();
  const byRoute = new Map<RouteDef, RequestHandler>();
  const proxy = (service: ServiceName, timeoutMs: number): RequestHandler => proxyTo({ name: service, url: new URL(urls[service]) }, secret, timeoutMs);
  for (const r of routes) {
    if (r.upstreamTimeoutMs !== undefined) byRoute.set(r, proxy(r.service, r.upstreamTimeoutMs));
    else if (!byService.has(r.service)) byService.set(r.service, proxy(r.service, defaultTimeoutMs));
  }
  return (route) => {
    const handler = byRoute.get(route) ?? byService.get(route.service);
    if (!handler) throw new Error(`no proxy for ${route.method.toUpperCase()} ${route.path}`);
    return handler;
  };
}
