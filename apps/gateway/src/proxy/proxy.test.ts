import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
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
let recordingGateway = '';
/** What the recording service parsed, one entry per request, in order. */
const seen: { method: string; url: string; body: string }[] = [];

const listen = async (server: Server): Promise<number> => {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
};

async function gatewayTo(upstream: number, timeoutMs = TIMEOUT_MS): Promise<string> {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.caller = { identity: { kind: 'guest', sub: null, role: null, email: null, session_id: null, ip: '192.0.2.1', user_agent: null }, rateLimitPerMin: null, uncheckedRevocationKeys: [] };
    next();
  });
  app.use(proxyTo({ name: 'inference', url: new URL(`http://127.0.0.1:${upstream}`) }, 'x'.repeat(32), timeoutMs));
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
  // A service that records every request it parses off its keep-alive connections.
  const recording = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString() });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, url: req.url }));
    });
  });
  recordingGateway = await gatewayTo(await listen(recording));
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

/** Writes `bytes` as they are on a new connection to `hostPort` and reads until the gateway closes it. */
function rawExchange(hostPort: string, bytes: string): Promise<{ status: number; body: string }> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

/** The start of a request that would swallow the next request sent on the same upstream connection. */
const PLANTED = 'PATCH /api/admin/users/planted HTTP/1.1\r\nX-Ignore: ';
const chunkedBody = (s: string): string => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n0\r\n\r\n`;

describe('proxyTo framing', () => {
  for (const method of ['GET', 'HEAD', 'DELETE', 'OPTIONS']) {
    for (const framing of ['chunked', 'content-length'] as const) {
      it(`refuses a ${method} with a body (${framing}) before anything reaches the service, so the next request is not altered`, async () => {
        seen.length = 0;
        const head = framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${Buffer.byteLength(PLANTED)}`;
        const body = framing === 'chunked' ? chunkedBody(PLANTED) : PLANTED;
        const refused = await rawExchange(recordingGateway, `${method} /v1/version HTTP/1.1\r\nHost: gw\r\n${head}\r\nConnection: close\r\n\r\n${body}`);
        expect(refused.status).toBe(400);
        if (method !== 'HEAD') expect(JSON.parse(refused.body)).toMatchObject({ code: 'validation_failed' });
        // Several, one after another: the proxy's pool hands the last-used upstream connection out first.
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`http://${recordingGateway}/v1/models/active`);
          expect(await res.json()).toEqual({ method: 'GET', url: '/v1/models/active' });
        }
        expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v1/models/active', 'GET /v1/models/active', 'GET /v1/models/active']);
      });
    }
  }

  it('closes the client connection it refused a body on, answering nothing pipelined behind it', async () => {
    seen.length = 0;
    const refused = `GET /v1/version HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n${chunkedBody(PLANTED)}`;
    const reply = await rawExchange(recordingGateway, `${refused}GET /v1/models/active HTTP/1.1\r\nHost: gw\r\n\r\n`);
    expect(reply.status).toBe(400);
    expect(reply.body.match(/HTTP\/1\.1 /g)).toBeNull(); // one answer, then the gateway closed
    // Node may already have parsed the pipelined request (it arrived in the same packet) and handed
    // it on as its own client sent it; the refused body never reaches the service.
    expect(seen.filter((r) => r.method !== 'GET' || r.url !== '/v1/models/active' || r.body !== '')).toEqual([]);
  });

  it('forwards a chunked POST body with explicit framing, and the next request arrives as sent', async () => {
    seen.length = 0;
    const ok = await rawExchange(recordingGateway, `POST /v1/read HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunkedBody(PLANTED)}`);
    expect(ok.status).toBe(200);
    const next = await fetch(`http://${recordingGateway}/v1/models/active`);
    expect(await next.json()).toEqual({ method: 'GET', url: '/v1/models/active' });
    expect(seen).toEqual([
      { method: 'POST', url: '/v1/read', body: PLANTED },
      { method: 'GET', url: '/v1/models/active', body: '' },
    ]);
  });

  it('forwards POST bodies sent with Content-Length, and POSTs and DELETEs without a body', async () => {
    seen.length = 0;
    const post = await fetch(`http://${recordingGateway}/v1/read`, { method: 'POST', body: 'abc', headers: { 'content-type': 'text/plain' } });
    expect(post.status).toBe(200);
    const empty = await fetch(`http://${recordingGateway}/v1/read`, { method: 'POST' });
    expect(empty.status).toBe(200);
    const del = await fetch(`http://${recordingGateway}/api/admin/api-keys/k1`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(seen).toEqual([
      { method: 'POST', url: '/v1/read', body: 'abc' },
      { method: 'POST', url: '/v1/read', body: '' },
      { method: 'DELETE', url: '/api/admin/api-keys/k1', body: '' },
    ]);
  });

  it('refuses a Transfer-Encoding other than chunked (gzip, chunked) without forwarding it', async () => {
    seen.length = 0;
    const refused = await rawExchange(recordingGateway, `POST /v1/read HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n${chunkedBody('abcd')}`);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'validation_failed' });
    expect(seen).toEqual([]);
  });
});

describe('keep-alive pool', () => {
  const get = async (gw: string, path = '/v1/models') => (await rawExchange(gw, `GET ${path} HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n`)).status;

  it('drops an idle socket before a Node service would close it (5 s by default), so no request goes out on a closing socket', async () => {
    const service = createServer((_req, res) => res.end('ok'));
    service.keepAliveTimeout = 60_000; // the service would keep it: the gateway's own bound must act
    let connections = 0;
    service.on('connection', () => connections++);
    const gw = await gatewayTo(await listen(service), 10_000);
    expect(await get(gw)).toBe(200);
    expect(await get(gw)).toBe(200);
    expect(connections).toBe(1);
    await new Promise((r) => setTimeout(r, 4_500));
    expect(await get(gw)).toBe(200);
    expect(connections).toBe(2);
  });

  it('gives a request on a reused socket its full timeout, not the idle bound or a Keep-Alive hint', async () => {
    // Says `Keep-Alive: timeout=2`; Node's agent given a `timeout` would leave a reused socket at 1 s.
    const service = createServer((req, res) => setTimeout(() => res.end('ok'), req.url === '/slow' ? 4_500 : 0));
    service.keepAliveTimeout = 2_500;
    let connections = 0;
    service.on('connection', () => connections++);
    const gw = await gatewayTo(await listen(service), 10_000);
    expect(await get(gw)).toBe(200);
    expect(await get(gw, '/slow')).toBe(200);
    expect(connections).toBe(1);
  });
});
