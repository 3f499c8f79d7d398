import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { proxyTo } from './proxy';

const TIMEOUT_MS = 800;
const servers: Server[] = [];
let gateway = '';

const listen = async (server: Server): Promise<number> => {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  // A hung service: takes the connection, never reads the body, never answers.
  const upstream = await listen(createServer(() => undefined));
  const app = express();
  app.use((_req, res, next) => {
    res.locals.caller = { identity: { kind: 'guest', sub: null, role: null, email: null, session_id: null, ip: '192.0.2.1', user_agent: null }, rateLimitPerMin: null, uncheckedRevocationKeys: [] };
    next();
  });
  app.use(proxyTo({ name: 'inference', url: new URL(`http://127.0.0.1:${upstream}`) }, 'x'.repeat(32), TIMEOUT_MS));
  app.use(errorHandler(createLogger('test', 'silent')));
  gateway = `127.0.0.1:${await listen(createServer(app))}`;
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
});
