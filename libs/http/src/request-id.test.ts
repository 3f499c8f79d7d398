import { connect, type AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, currentRequestId } from '@inkwell/logger';
import { createServiceApp } from './create-app';
import { createHttpServer } from './http-server';
import { requestIdFrom } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Line {
  msg: string;
  request_id?: string;
}

// An app whose route logs a line of its own and answers the request id its async context holds:
// the id every log line and audit event of the request is written with.
const lines: Line[] = [];
const logger = createLogger('test', 'info', { write: (s: string) => lines.push(JSON.parse(s) as Line) });
const { app } = createServiceApp({
  service: 'test',
  logger,
  corsOrigins: [],
  jsonLimit: '1kb',
  readiness: {},
  routes: (a) => {
    a.get('/work', (_req, res) => {
      logger.info('working');
      res.json({ context: currentRequestId() ?? null });
    });
  },
});

describe('requestIdFrom', () => {
  it('keeps a short id of letters, digits and . _ : -', () => {
    for (const id of ['req-1', 'trace-abc_1.2:3', 'a'.repeat(128), '00000000-0000-4000-8000-000000000000']) expect(requestIdFrom(id)).toBe(id);
  });

  it('replaces a missing, empty, over-long or oddly spelled id with a fresh uuid', () => {
    const bad = [undefined, '', 'a'.repeat(129), 'a'.repeat(500), 'id\r\nlevel: 60', 'id\nfake', 'id\u2028x', 'ïd', 'id-✓', 'has space', '"><script>', 'id;rm', '{"level":60}', 'id\u0000'];
    for (const id of bad) expect([id, UUID.test(requestIdFrom(id))]).toEqual([id, true]);
  });
});

describe('the requestId middleware', () => {
  let port = 0;
  const server = createHttpServer(app, { maxHeaderSize: 16 * 1024 });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const linesOf = (id: string) => lines.filter((l) => l.request_id === id).map((l) => l.msg);

  it('echoes a valid id and writes it into every log line of the request', async () => {
    const res = await request(app).get('/work').set('X-Request-ID', 'trace-abc_1.2:3');
    expect(res.headers['x-request-id']).toBe('trace-abc_1.2:3');
    expect(res.body).toEqual({ context: 'trace-abc_1.2:3' });
    expect(linesOf('trace-abc_1.2:3')).toEqual(['working', 'request completed']);
  });

  it('replaces an over-long or oddly spelled id before it reaches a log line, and echoes the replacement', async () => {
    for (const sent of ['a'.repeat(500), 'has space', '"><script>', '{"level":60}']) {
      const res = await request(app).get('/work').set('X-Request-ID', sent);
      const id = String(res.headers['x-request-id']);
      expect([sent, UUID.test(id), res.body.context]).toEqual([sent, true, id]);
      expect(linesOf(id)).toEqual(['working', 'request completed']);
      expect(lines.filter((l) => JSON.stringify(l).includes(JSON.stringify(sent).slice(1, -1)))).toEqual([]);
    }
  });

  it('replaces an id of UTF-8 bytes (no client library sends them; a raw socket does)', async () => {
    const head = Buffer.concat([Buffer.from('GET /work HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-ID: id-'), Buffer.from('✓\u2028', 'utf8'), Buffer.from('\r\n\r\n')]);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(head));
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    const id = /\r\nX-Request-ID: ([^\r]*)\r\n/i.exec(reply)?.[1] ?? '';
    expect(id).toMatch(UUID);
    expect(linesOf(id)).toEqual(['working', 'request completed']);
  });
});
