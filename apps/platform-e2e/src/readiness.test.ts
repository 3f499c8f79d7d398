import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './harness/platform';
import { signInAdmin, type Session } from './harness/sessions';
import { TcpForwarder } from './harness/tcp-forwarder';

let p: Platform;
let admin: Session;
let pg: TcpForwarder;

/** Polls until `check` holds, failing after `ms`; returns how long it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not reached within ${ms} ms`);
}

beforeAll(async () => {
  pg = new TcpForwarder('127.0.0.1', 5432);
  const port = await pg.start();
  p = await startPlatform({ databaseUrlFor: (real) => Object.assign(new URL(real), { port: String(port) }).toString() });
  admin = await signInAdmin(p);
});
afterAll(async () => {
  await p.close();
  await pg.cut();
});

/** Per-dependency detail: an admin's only (the public gets the status alone). */
const detail = () => request(p.url).get('/readyz?detail=1').set('Authorization', `Bearer ${admin.access}`);
const users = () => request(p.url).get('/api/admin/users').set('Authorization', `Bearer ${admin.access}`);

describe('readiness and PostgreSQL outages', () => {
  it('reports each dependency to an admin when everything is up, and only the status to the public', async () => {
    expect((await request(p.url).get('/readyz')).body).toEqual({ status: 'ready' });
    const res = await detail();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(Object.keys(res.body.dependencies).sort()).toEqual(['audit', 'auth', 'inference', 'redis', 'report', 'trainer']);
    expect(res.body.dependencies.auth.detail.dependencies.postgres.ok).toBe(true);
  });

  it('turns not-ready and answers protected calls 503 within 5 s of PostgreSQL going down, and recovers', async () => {
    expect((await users()).status).toBe(200);
    await pg.cut();
    const notReady = await within(5000, async () => (await request(p.url).get('/readyz')).status === 503);
    const unavailable = await within(5000, async () => {
      const res = await users();
      return res.status === 503 && res.body.code === 'service_unavailable';
    });
    const down = await detail();
    expect(down.body.dependencies.auth.ok).toBe(false);
    expect((await request(p.url).get('/readyz')).body).toEqual({ status: 'not_ready' });
    expect(notReady).toBeLessThan(5000);
    expect(unavailable).toBeLessThan(5000);

    await pg.restore();
    await within(10_000, async () => (await request(p.url).get('/readyz')).status === 200);
    await within(10_000, async () => (await users()).status === 200);
  });
});
