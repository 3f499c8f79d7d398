import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDef } from '@inkwell/contracts';
import { errorHandler } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { routeProxies } from './route-proxies';

const DEFAULT_MS = 300;
const SLOW_ANSWER_MS = 900;
const servers: Server[] = [];
let gateway = '';

const route = (path: string, extra: Partial<RouteDef> = {}): RouteDef => ({ method: 'post', path, service: 'inference', access: 'guest', summary: path, tag: 't', responses: {}, ...extra });
const routes = [route('/slow-default'), route('/slow-allowed', { upstreamTimeoutMs: 5_000 })];

const listen = async (server: Server): Promise<string> => {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  // A service that reads the body, then thinks longer than the default wait before answering.
  const upstream = await listen(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}'), SLOW_ANSWER_MS));
    }),
  );
  const urls = { auth: upstream, inference: upstream, trainer: upstream, report: upstream, audit: upstream };
  const proxyFor = routeProxies(routes, urls, 'x'.repeat(32), DEFAULT_MS);
  const app = express();
  app.use((_req, res, next) => {
    res.locals.caller = { identity: { kind: 'guest', sub: null, role: null, email: null, session_id: null, ip: '192.0.2.1', user_agent: null }, rateLimitPerMin: null, uncheckedRevocationKeys: [] };
    next();
  });
  for (const r of routes) app.post(r.path, proxyFor(r));
  app.use(errorHandler(createLogger('test', 'silent')));
  gateway = await listen(createServer(app));
});
afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('per-route upstream timeouts', () => {
  it('a route without its own timeout gets 504 after the default; one that declares a longer wait gets the answer', async () => {
    const slow = await fetch(`${gateway}/slow-default`, { method: 'POST', body: 'x' });
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { code: string }).code).toBe('timeout');
    const allowed = await fetch(`${gateway}/slow-allowed`, { method: 'POST', body: 'x' });
    expect(allowed.status).toBe(202);
  });
});
