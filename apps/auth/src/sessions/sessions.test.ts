import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER } from '@inkwell/contracts';
import { revocationKeys } from '@inkwell/auth-guard';
import { authFixture, type AuthFixture } from '../testing/auth-fixture';

let f: AuthFixture;
const PASSWORD = 'correct horse battery staple';
const login = (email: string, password: string, ip = '198.51.100.1') =>
  request(f.app).post('/api/auth/login').set(IDENTITY_HEADER, f.identity({ ip })).send({ email, password });

beforeAll(async () => {
  f = await authFixture({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '10', LOGIN_MAX_FAILURES_PER_IP: '1000' });
  await f.users.ensureAdmin('root@example.com', PASSWORD);
});
afterAll(() => f.close());

describe('sessions', () => {
  it('signs in, sets httpOnly cookies and never returns the password hash', async () => {
    const res = await login('ROOT@example.com', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(res.body.user.email).toBe('root@example.com');
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|password_hash/);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => /^inkwell_access=.*HttpOnly/i.test(c) && /SameSite=Strict/i.test(c))).toBe(true);
    expect(cookies.some((c) => /^inkwell_refresh=.*Path=\/api\/auth/i.test(c))).toBe(true);
  });

  it('refuses services calls that did not come through the gateway', async () => {
    const res = await request(f.app).post('/api/auth/login').send({ email: 'root@example.com', password: PASSWORD });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('refuses a wrong password with the same message as an unknown email', async () => {
    const a = await login('root@example.com', 'wrong password');
    const b = await login('nobody@example.com', 'wrong password');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body.message).toBe(b.body.message);
  });

  it('rotates refresh tokens, and reuse of a spent one revokes the whole family', async () => {
    const first = await login('root@example.com', PASSWORD);
    const r1 = first.body.refresh_token as string;
    const rotated = await request(f.app).post('/api/auth/refresh').set(IDENTITY_HEADER, f.identity()).send({ refresh_token: r1 });
    expect(rotated.status).toBe(200);
    const r2 = rotated.body.refresh_token as string;
    expect(r2).not.toBe(r1);
    // Replaying r1 (a thief's copy) ends the session: r2 stops working too.
    const replay = await request(f.app).post('/api/auth/refresh').set(IDENTITY_HEADER, f.identity()).send({ refresh_token: r1 });
    expect(replay.status).toBe(401);
    const after = await request(f.app).post('/api/auth/refresh').set(IDENTITY_HEADER, f.identity()).send({ refresh_token: r2 });
    expect(after.status).toBe(401);
    const sid = JSON.parse(Buffer.from((first.body.access_token as string).split('.')[1] ?? '', 'base64url').toString()).sid as string;
    expect(await f.redis.exists(revocationKeys(f.config.REDIS_PREFIX).session(sid))).toBe(1);
  });

  it('logout revokes the refresh token and the access token session at once', async () => {
    const s = await login('root@example.com', PASSWORD);
    const sid = JSON.parse(Buffer.from((s.body.access_token as string).split('.')[1] ?? '', 'base64url').toString()).sid as string;
    const out = await request(f.app).post('/api/auth/logout').set(IDENTITY_HEADER, f.identity()).send({ refresh_token: s.body.refresh_token });
    expect(out.status).toBe(204);
    expect(await f.redis.exists(revocationKeys(f.config.REDIS_PREFIX).session(sid))).toBe(1);
    const refresh = await request(f.app).post('/api/auth/refresh').set(IDENTITY_HEADER, f.identity()).send({ refresh_token: s.body.refresh_token });
    expect(refresh.status).toBe(401);
  });

  it('throttles repeated failures with 429 and Retry-After, per account', async () => {
    await f.users.ensureAdmin('victim@example.com', PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await login('victim@example.com', `guess-${i}`, `192.0.2.${i}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    const blocked = await login('victim@example.com', PASSWORD, '192.0.2.99');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body.code).toBe('rate_limited');
  });

  it('records every sign-in attempt as an audit event on the audit queue', async () => {
    await f.relay.drain();
    const jobs = await f.auditQueue.queue.getJobs(['waiting', 'delayed', 'prioritized'], 0, 1000);
    const actions = jobs.map((j) => (j.data as { payload: { action: string; outcome: string } }).payload);
    expect(actions.some((a) => a.action === 'auth.login' && a.outcome === 'success')).toBe(true);
    expect(actions.some((a) => a.action === 'auth.login' && a.outcome === 'failure')).toBe(true);
    expect(actions.some((a) => a.action === 'auth.refresh_reuse')).toBe(true);
    expect(actions.some((a) => a.action === 'auth.refresh' && a.outcome === 'success')).toBe(true);
    expect(actions.some((a) => a.action === 'auth.logout')).toBe(true);
    const unsent = await f.db('outbox').where({ topic: 'audit' }).whereNull('sent_at').count<{ count: number }[]>({ count: '*' });
    expect(Number(unsent[0]?.count)).toBe(0);
  });
});
