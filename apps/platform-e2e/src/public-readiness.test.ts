/* eslint-disable @nx/enforce-module-boundaries -- like the harness, this builds the real gateway in-process; nothing else may import an app. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayEnv, loadConfig } from '@inkwell/config';
import { createHttpServer, PUBLIC_MAX_HEADER_BYTES } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { connectRedis } from '@inkwell/queue';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from '../../gateway/src/app';

const SERVICE_KEYS = ['AUTH_URL', 'INFERENCE_URL', 'TRAINER_URL', 'REPORT_URL', 'AUDIT_URL'] as const;

const listening = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const closed = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

let env: TestEnv;
let redis: Redis;
const toClose: Server[] = [];
const gateways: { close(): Promise<void> }[] = [];

/** The real gateway, with every service URL pointing at `serviceUrl`. */
async function gatewayTo(serviceUrl: string): Promise<string> {
  const config = loadConfig(GatewayEnv, { ...env.env, ...Object.fromEntries(SERVICE_KEYS.map((k) => [k, serviceUrl])), READY_CHECK_TIMEOUT_MS: '500' });
  const gateway = buildGateway({ config, logger: createLogger('e2e', 'silent'), redis });
  gateways.push(gateway);
  const server = createHttpServer(gateway.app, { maxHeaderSize: PUBLIC_MAX_HEADER_BYTES });
  toClose.push(server);
  return `http://127.0.0.1:${await listening(server)}`;
}

beforeAll(async () => {
  env = await createTestEnv();
  redis = await connectRedis(env.env.REDIS_URL ?? 'redis://127.0.0.1:6379', createLogger('e2e', 'silent'));
});
afterAll(async () => {
  for (const s of toClose) s.closeAllConnections();
  await Promise.all(toClose.map(closed));
  for (const g of gateways) await g.close();
  redis.disconnect();
  await env.cleanup();
});

describe('public /readyz', () => {
  it('1,000 calls cause at most one fan-out to the services per second', async () => {
    let serviceReadyz = 0;
    const services = createServer((req, res) => {
      if (req.url === '/readyz') serviceReadyz++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    });
    toClose.push(services);
    const url = await gatewayTo(`http://127.0.0.1:${await listening(services)}`);

    const start = Date.now();
    const statuses: number[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${url}/readyz`).then(async (r) => ({ status: r.status, body: await r.json() }))));
      for (const a of answers) {
        statuses.push(a.status);
        expect(a.body, JSON.stringify(a.body)).toEqual({ status: 'ready' });
      }
    }
    const seconds = Math.ceil((Date.now() - start) / 1000);
    expect(statuses).toHaveLength(1000);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // Five services per fan-out; one fan-out per started second at most.
    expect(serviceReadyz).toBeGreaterThanOrEqual(5);
    expect(serviceReadyz / SERVICE_KEYS.length).toBeLessThanOrEqual(seconds + 1);
  });

  it('no public response names an internal address when the services are unreachable', async () => {
    const refusing = createServer();
    const port = await listening(refusing);
    await closed(refusing);
    const url = await gatewayTo(`http://127.0.0.1:${port}`);

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not_ready' });

    const responses = await Promise.all([
      fetch(`${url}/readyz`),
      fetch(`${url}/readyz?detail=1`),
      fetch(`${url}/healthz`),
      fetch(`${url}/v1/version`),
      fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@b.c","password":"p"}' }),
      fetch(`${url}/api/no-such-route`),
    ]);
    for (const res of responses) {
      const body = await res.text();
      expect(body, res.url).not.toContain(String(port));
      expect(body, res.url).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    }
    // The detail is an admin's: a guest is turned away before any dependency is named.
    expect(responses[1]?.status).toBe(401);
  });
});
