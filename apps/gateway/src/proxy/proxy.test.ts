import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@inkwell/contracts';
import { errorHandler } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { proxyTo } from './proxy';

const TIMEOUT_MS = 800;
const servers: Server[] = [];
let gateway = '';
let refusingGateway = '';

const listen = async (server: Server): Promise<number> => {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
};

async function gatewayTo(upstream: number): Promise<string> {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.caller = { identity: { kind: 'guest', sub: null, role: null, email: null, session_id: null, ip: '192.0.2.1', user_agent: null }, rateLimitPerMin: null, uncheckedRevocationKeys: [] };
    next();
  });
  app.use(proxyTo({ name: 'inference', url: new URL(`http://127.0.0.1:${upstream}`) }, 'x'.repeat(32), TIMEOUT_MS));
  app.use(errorHandler(createLogger('test', 'silent')));
  return `127.0.0.1:${await listen(createServer(app))}`;
}

beforeAll(async () => {
  // A hung service: takes the connection, never reads the body, never answers.
  gateway = await gatewayTo(await listen(createServer(() => undefined)));
  // A full service: refuses at once, before reading the body (as inference's admission does).
  const full = express();
  full.post('/v1/read', (_req, _res, next) => next(new AppError('service_unavailable', 'Inference queue is full')));
  full.use(errorHandler(createLogger('test', 'silent')));
  refusingGateway = await gatewayTo(await listen(createServer(full)));
});
afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** POSTs `total` bytes declared, writing `send` of them as fast as the connection takes them. */
function upload(total: number, send: number): Promise<{ status: number; code: string }> {
  const [host, port] = gateway.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), method: 'POST', path: '/v1/read', headers: { 'content-type': 'application/octet-stream', 'content-length': total } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(body) as { code: string }).code }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024);
    let written = 0;
    const pump = () => {
      while (written < send) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

describe('proxyTo', () => {
  it('answers 504 timeout when the service stops reading while the client is still sending', async () => {
    expect(await upload(64 * 1024 * 1024, 64 * 1024 * 1024)).toEqual({ status: 504, code: 'timeout' });
  });

  it('answers 408 request_timeout when the client stops sending its body', async () => {
    expect(await upload(1024 * 1024, 64 * 1024)).toEqual({ status: 408, code: 'request_timeout' });
  });

  it('relays a refusal sent before the body was read, and keeps the client connection usable', async () => {
    // Before the gateway dropped the unread rest of the body, some of these (reusing one keep-alive
    // connection) hung until the upstream timeout and then ended in ECONNRESET.
    const body = Buffer.alloc(780 * 1024, 7);
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`http://${refusingGateway}/v1/read`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' }, signal: AbortSignal.timeout(30_000) });
      expect([i, res.status, ((await res.json()) as { code: string }).code]).toEqual([i, 503, 'service_unavailable']);
    }
  });

  it('closes the connection of a client that keeps trickling a body the service refused', async () => {
    const [host, port] = refusingGateway.split(':');
    const { status, closed } = await new Promise<{ status: number; closed: Promise<void> }>((resolve, reject) => {
      const req = request({ host, port: Number(port), method: 'POST', path: '/v1/read', headers: { 'content-type': 'application/octet-stream', 'content-length': 100 * 1024 * 1024 } });
      req.on('error', () => undefined); // the cut connection
      const closed = new Promise<void>((r) => req.on('close', () => r()));
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, closed });
      });
      req.write(Buffer.alloc(64 * 1024));
      const trickle = setInterval(() => (req.destroyed ? clearInterval(trickle) : req.write(Buffer.alloc(10))), 100);
      setTimeout(() => reject(new Error('no answer')), 10_000);
    });
    expect(status).toBe(503);
    await closed; // hangs (and the test times out) if the gateway keeps reading for ever
  });
});
