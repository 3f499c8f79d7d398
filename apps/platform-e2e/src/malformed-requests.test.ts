import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '@inkwell/contracts';
import { makePhotoFixtures } from '@inkwell/imaging';
import { sendRaw } from './harness/raw-http';
import { startPlatform, type Platform } from './harness/platform';
import { signInAdmin, type Session } from './harness/sessions';

// Requests no client library would send, each answered through the gateway with the one error
// body and a 4xx, never a 500, with nothing stored changed. The upstream timeout is short so a
// stalled upload is refused within the test.
const UPSTREAM_TIMEOUT_MS = 2000;

let p: Platform;
let admin: Session;
let bearer: { Authorization: string };
beforeAll(async () => {
  p = await startPlatform({ env: { UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS) } });
  admin = await signInAdmin(p);
  bearer = { Authorization: `Bearer ${admin.access}` };
});
afterAll(() => p.close());

/** The raw answer, its body parsed as JSON where it is JSON. */
async function raw(url: string, head: string, body = ''): Promise<{ status: number; headers: string; body: unknown }> {
  const answer = await sendRaw(url, head + body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    parsed = answer.body;
  }
  return { status: answer.status, headers: answer.head, body: parsed };
}

const expectError = (body: unknown, code: string) => {
  expect(ErrorBody.parse(body)).toMatchObject({ code, request_id: expect.any(String) });
};

async function userCount(): Promise<number> {
  const res = await request(p.url).get('/api/admin/users?page_size=1').set(bearer);
  expect(res.status).toBe(200);
  return res.body.total as number;
}

describe('malformed requests through the gateway', () => {
  it('treats an access cookie with a malformed %-escape as absent', async () => {
    const version = await request(p.url).get('/v1/version').set('Cookie', 'inkwell_access=%E0%A4%A');
    expect(version.status).toBe(200);
    const login = await request(p.url).post('/api/auth/login').set('Cookie', 'inkwell_access=%').send({ email: admin.email, password: admin.password });
    expect(login.status).toBe(200);
  });

  it('answers a path parameter with a malformed %-escape with 400 validation_failed', async () => {
    for (const [method, path] of [
      ['get', '/api/admin/users/%E0%A4%A'],
      ['post', '/api/admin/users/%C0%80/activate'],
      ['delete', '/api/admin/api-keys/%ZZ'],
    ] as const) {
      const res = await request(p.url)[method](path).set(bearer);
      expect(res.status, `${method} ${path}`).toBe(400);
      expectError(res.body, 'validation_failed');
    }
  });

  it('answers a corrupt compressed JSON body with 400 validation_failed', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await request(p.url).post('/api/auth/login').set('Content-Type', 'application/json').set('Content-Encoding', encoding).send('garbage');
      expect(res.status, encoding).toBe(400);
      expectError(res.body, 'validation_failed');
    }
  });

  it('ignores a refresh cookie that is not a string (cookie-parser JSON syntax)', async () => {
    const refresh = await request(p.url).post('/api/auth/refresh').set('Cookie', 'inkwell_refresh=j:{"a":1}');
    expect(refresh.status).toBe(401);
    expectError(refresh.body, 'unauthorized');
    const logout = await request(p.url).post('/api/auth/logout').set('Cookie', 'inkwell_refresh=j:[1]');
    expect(logout.status).toBeLessThan(500);
    // The admin's own session is untouched by either.
    expect((await request(p.url).get('/api/admin/users?page_size=1').set(bearer)).status).toBe(200);
  });

  it('refuses NUL in searched and stored text with 400 validation_failed, storing nothing', async () => {
    const before = await userCount();
    const search = await request(p.url).get('/api/admin/users?q=%00').set(bearer);
    expect(search.status).toBe(400);
    expectError(search.body, 'validation_failed');

    const created = await request(p.url).post('/api/admin/users').set(bearer).send({ email: 'nul@e2e.test', name: 'a\u0000b', role: 'viewer' });
    expect(created.status).toBe(400);
    expectError(created.body, 'validation_failed');
    expect(await userCount()).toBe(before);

    const renamed = await request(p.url).patch(`/api/admin/users/${admin.userId}`).set(bearer).send({ name: 'a\u0000b' });
    expect(renamed.status).toBe(400);
    expectError(renamed.body, 'validation_failed');

    const keysBefore = (await request(p.url).get('/api/admin/api-keys').set(bearer)).body.items.length as number;
    const key = await request(p.url).post('/api/admin/api-keys').set(bearer).send({ name: 'a\u0000b' });
    expect(key.status).toBe(400);
    expectError(key.body, 'validation_failed');
    expect((await request(p.url).get('/api/admin/api-keys').set(bearer)).body.items).toHaveLength(keysBefore);
  });

  it('passes a long User-Agent and many headers on: what the gateway admits, the service behind it admits too', async () => {
    const res = await request(p.url).get('/v1/version').set('User-Agent', 'a'.repeat(7000));
    expect(res.status).toBe(200);
    // Past Node's default of 1,000 headers, which drops the rest (and with them a late Host).
    const many = request(p.url).get('/v1/version');
    for (let i = 0; i < 1500; i++) void many.set(`X-H${i}`, 'v');
    const manyRes = await many;
    expect(manyRes.status, JSON.stringify(manyRes.body)).toBe(200);
  });

  it('answers headers over the limit with 431 headers_too_large in the error body', async () => {
    const { port } = new URL(p.url);
    const res = await raw(p.url, `GET /v1/version HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expectError(res.body, 'headers_too_large');
  });

  it('answers a malformed request line or header with 400 validation_failed in the error body', async () => {
    const { port } = new URL(p.url);
    for (const head of [
      `GET /v1/version HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nthis line has no colon\r\n\r\n`,
      `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n`,
      `GET /v1/version HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      `GET /v1/version HTTP/1.1\r\nAccept: */*\r\n\r\n`, // no Host
    ]) {
      const res = await raw(p.url, head);
      expect(res.status, head).toBe(400);
      expectError(res.body, 'validation_failed');
    }
  });

  it('answers an upload whose body stops arriving with 408 request_timeout, then reads the next one', async () => {
    const [fixture] = await makePhotoFixtures({ count: 1, seed: 7, kinds: ['paper_jpeg'] });
    if (!fixture) throw new Error('no fixture');
    const { port } = new URL(p.url);
    const boundary = 'stalled';
    const partial = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="d.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    const started = Date.now();
    const res = await raw(
      p.url,
      `POST /v1/read HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n\r\n`,
      partial,
    );
    expect(res.status).toBe(408);
    expectError(res.body, 'request_timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(UPSTREAM_TIMEOUT_MS - 100);

    const read = await request(p.url).post('/v1/read').attach('file', Buffer.from(fixture.bytes), { filename: 'd.jpg', contentType: fixture.contentType });
    expect(read.status).toBe(200);
    expect(read.body.digit).toEqual(expect.any(Number));
  });
});
