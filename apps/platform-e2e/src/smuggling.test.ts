import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '@inkwell/contracts';
import { sendRaw } from './harness/raw-http';
import { startPlatform, type Platform } from './harness/platform';
import { createUser, signIn, signInAdmin, type Session } from './harness/sessions';

// Request smuggling through the gateway (issue 19, finding 1): a body on a method that has none,
// forwarded without framing, lands on the gateway's pooled keep-alive connection to a service and
// is read there as the start of the next request, which then runs with the next caller's identity.

let p: Platform;
let admin: Session;
let viewer: Session;
beforeAll(async () => {
  p = await startPlatform();
  admin = await signInAdmin(p);
  // A viewer past the temporary-password step, so the gateway lets it reach GET /api/auth/me and the proxy.
  const first = await createUser(p, admin, 'viewer');
  const password = 'viewer-own-password-123';
  const changed = await request(p.url).post('/api/auth/password').set(bearer(first)).send({ current_password: first.password, new_password: password });
  if (changed.status >= 300) throw new Error(`password change answered ${changed.status}: ${JSON.stringify(changed.body)}`);
  viewer = await signIn(p, first.email, password);
});
afterAll(() => p.close());

/** Writes bytes as they are on a fresh connection to the gateway, reading until it closes. */
const raw = (bytes: string) => sendRaw(p.url, bytes);

const chunked = (s: string): string => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n0\r\n\r\n`;

/** A request whose body is `planted`, framed as the test says, on a connection closed after it. */
function carrying(method: string, path: string, headers: string, planted: string, framing: 'chunked' | 'content-length'): string {
  const frame = framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${Buffer.byteLength(planted)}`;
  return `${method} ${path} HTTP/1.1\r\nHost: inkwell.test\r\n${headers}${frame}\r\nConnection: close\r\n\r\n${framing === 'chunked' ? chunked(planted) : planted}`;
}

const bearer = (s: Session) => ({ Authorization: `Bearer ${s.access}` });

async function roleOf(userId: string): Promise<string> {
  const res = await request(p.url).get(`/api/admin/users/${userId}`).set(bearer(admin));
  expect(res.status).toBe(200);
  return res.body.role as string;
}

/** The admin's ordinary calls to auth, one after another (the pool hands out its last-used connection first). */
async function adminCallsAuth(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const email = `made-${i}-${Math.random().toString(36).slice(2, 8)}@e2e.test`;
    const created = await request(p.url).post('/api/admin/users').set(bearer(admin)).send({ email, name: 'Made by admin', role: 'admin' });
    expect([i, created.status, created.body.user?.email]).toEqual([i, 201, email]);
    const me = await request(p.url).get('/api/auth/me').set(bearer(admin));
    expect([i, me.status, me.body.email]).toEqual([i, 200, admin.email]);
  }
}

describe('request smuggling through the gateway', () => {
  for (const method of ['GET', 'HEAD', 'DELETE', 'OPTIONS']) {
    for (const framing of ['chunked', 'content-length'] as const) {
      it(`a viewer's ${method} carrying a partial request (${framing}) alters no one else's request`, async () => {
        const planted = `PATCH /api/admin/users/${viewer.userId} HTTP/1.1\r\nX-Ignore: `;
        // The viewer reaches GET/HEAD /api/auth/me; DELETE and OPTIONS go to the routes that have them.
        const path = method === 'DELETE' ? '/api/admin/api-keys/00000000-0000-4000-8000-000000000000' : '/api/auth/me';
        const answer = await raw(carrying(method, path, `Authorization: Bearer ${viewer.access}\r\n`, planted, framing));
        await adminCallsAuth();
        expect(await roleOf(viewer.userId)).toBe('viewer');
        // GET and HEAD reach the proxy, which refuses the body; DELETE stops at the role check
        // (403) and OPTIONS at the CORS preflight, neither forwarding anything.
        expect(answer.status).toBe(method === 'DELETE' ? 403 : method === 'OPTIONS' ? 204 : 400);
        if (method === 'GET') expect(ErrorBody.parse(JSON.parse(answer.body))).toMatchObject({ code: 'validation_failed' });
      });
    }
  }

  it('a DELETE that reaches the proxy (an admin route) carrying a partial request is refused, and alters nothing', async () => {
    for (const framing of ['chunked', 'content-length'] as const) {
      const planted = `PATCH /api/admin/users/${viewer.userId} HTTP/1.1\r\nX-Ignore: `;
      const answer = await raw(carrying('DELETE', '/api/admin/api-keys/00000000-0000-4000-8000-000000000000', `Authorization: Bearer ${admin.access}\r\n`, planted, framing));
      await adminCallsAuth();
      expect(await roleOf(viewer.userId)).toBe('viewer');
      expect([framing, answer.status]).toEqual([framing, 400]);
      expect(ErrorBody.parse(JSON.parse(answer.body))).toMatchObject({ code: 'validation_failed' });
    }
  });

  it("a guest's GET /v1/version carrying a request to /internal/* alters no one else's request", async () => {
    for (const framing of ['chunked', 'content-length'] as const) {
      const answer = await raw(carrying('GET', '/v1/version', '', 'POST /internal/models/reload HTTP/1.1\r\nX-Ignore: ', framing));
      for (let i = 0; i < 3; i++) {
        const active = await request(p.url).get('/v1/models/active').set(bearer(admin));
        expect([framing, i, active.status, typeof active.body.version]).toEqual([framing, i, 200, 'string']);
      }
      expect(answer.status).toBe(400);
    }
  });

  it('answers an absolute-form request target with 400 and forwards nothing', async () => {
    for (const target of ['http://169.254.169.254/latest/meta-data/', 'http://inkwell.test/v1/version', '*']) {
      const answer = await raw(`GET ${target} HTTP/1.1\r\nHost: inkwell.test\r\nConnection: close\r\n\r\n`);
      expect([target, answer.status]).toEqual([target, 400]);
      expect(ErrorBody.parse(JSON.parse(answer.body))).toMatchObject({ code: 'validation_failed' });
    }
  });

  it('answers a request with both Content-Length and Transfer-Encoding with 400', async () => {
    const answer = await raw(`POST /v1/read HTTP/1.1\r\nHost: inkwell.test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);
    expect(answer.status).toBe(400);
    expect(ErrorBody.parse(JSON.parse(answer.body))).toMatchObject({ code: 'validation_failed' });
  });
});
