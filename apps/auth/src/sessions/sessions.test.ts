import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, type Identity } from '@inkwell/contracts';
import { revocationKeys } from '@inkwell/auth-guard';
import { authFixture, type AuthFixture } from '../testing/auth-fixture';

let f: AuthFixture;
const PASSWORD = 'correct horse battery staple';
const login = (email: string, password: string, ip = '198.51.100.1') =>
  request(f.app).post('/api/auth/login').set(IDENTITY_HEADER, f.identity({ ip })).send({ email, password });

const refresh = (token: string) => request(f.app).post('/api/auth/refresh').set(IDENTITY_HEADER, f.identity()).send({ refresh_token: token });
const sidOf = (accessToken: string): string =>
  (JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as { sid: string }).sid;
/** A user of its own per test, so the races below do not share locks or throttles with each other. */
const newUser = (email: string, password = PASSWORD): Promise<string> => f.createAdmin(email, password);

/**
 * Signs in with `password` from a few clients at once, each again and again, until `change` settles
 * (or the client is refused): some sign-ins read the user before the change and finish after it.
 */
const loginsDuring = async <T>(change: Promise<T>, email: string, password: string): Promise<{ result: T; logins: request.Response[] }> => {
  let settled = false;
  const lane = async (ip: string) => {
    const out: request.Response[] = [];
    while (!settled) {
      const r = await login(email, password, ip);
      out.push(r);
      if (r.status !== 200) break;
    }
    return out;
  };
  const [result, ...lanes] = await Promise.all([change.finally(() => (settled = true)), ...[1, 2, 3, 4].map((i) => lane(`198.51.100.${10 + i}`))]);
  return { result, logins: lanes.flat() };
};

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
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.user.email).toBe('root@example.com');
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|password_hash/);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => /^inkwell_access=.*HttpOnly/i.test(c) && /SameSite=Strict/i.test(c))).toBe(true);
    expect(cookies.some((c) => /^inkwell_refresh=.*Path=\/api\/auth/i.test(c))).toBe(true);
    // The marker the web app reads to know there is a session to restore: script-readable, no secret.
    const marker = cookies.find((c) => c.startsWith('inkwell_session='));
    expect(marker).toMatch(/^inkwell_session=1;.*Path=\//i);
    expect(marker).not.toMatch(/HttpOnly/i);
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
    // Every session cookie goes, the web app's marker too.
    const cleared = ([] as string[]).concat(out.headers['set-cookie'] ?? []).map((c) => c.split('=')[0]);
    expect(cleared.sort()).toEqual(['inkwell_access', 'inkwell_refresh', 'inkwell_session']);
    expect(await f.redis.exists(revocationKeys(f.config.REDIS_PREFIX).session(sid))).toBe(1);
    const refresh = await request(f.app).post('/api/auth/refresh').set(IDENTITY_HEADER, f.identity()).send({ refresh_token: s.body.refresh_token });
    expect(refresh.status).toBe(401);
  });

  it('throttles repeated failures with 429 and Retry-After, per account and client, without locking the owner out', async () => {
    await f.users.ensureAdmin('victim@example.com', PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await login('victim@example.com', `guess-${i}`, '192.0.2.1')).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    const blocked = await login('victim@example.com', PASSWORD, '192.0.2.1');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body.code).toBe('rate_limited');
    // The owner, from a client that has not failed, is not refused.
    expect((await login('victim@example.com', PASSWORD, '192.0.2.99')).status).toBe(200);
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

  it('a refresh that fails part-way does not spend the token: the retry succeeds', async () => {
    await newUser('outage@example.com');
    const s = await login('outage@example.com', PASSWORD);
    const family = sidOf(s.body.access_token as string);
    // Stand-in for PostgreSQL going away mid-refresh: the new token of this family cannot be stored.
    await f.db.raw(`create function fail_refresh_insert() returns trigger language plpgsql as $$ begin raise exception 'simulated outage'; end $$`);
    await f.db.raw(`create trigger fail_refresh_insert before insert on refresh_tokens for each row when (new.family_id = '${family}') execute function fail_refresh_insert()`);
    const failed = await refresh(s.body.refresh_token as string);
    await f.db.raw('drop trigger fail_refresh_insert on refresh_tokens');
    await f.db.raw('drop function fail_refresh_insert()');
    expect(failed.status).toBe(500);
    const retry = await refresh(s.body.refresh_token as string);
    expect(retry.status).toBe(200);
  });

  it('does not count sign-ins that fail on our side against the throttle', async () => {
    const id = await newUser('flaky@example.com');
    // Stand-in for PostgreSQL failing mid-sign-in: this user's row cannot be updated.
    await f.db.raw(`create function fail_user_update() returns trigger language plpgsql as $$ begin raise exception 'simulated outage'; end $$`);
    await f.db.raw(`create trigger fail_user_update before update on users for each row when (old.id = '${id}') execute function fail_user_update()`);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login('flaky@example.com', PASSWORD, '198.51.100.77')).status);
    await f.db.raw('drop trigger fail_user_update on users');
    await f.db.raw('drop function fail_user_update()');
    expect(statuses.every((s) => s === 500)).toBe(true); // more than the account's limit of 10
    expect((await login('flaky@example.com', PASSWORD, '198.51.100.77')).status).toBe(200);
  });
});

describe('sessions under concurrency', () => {
  it('after parallel refreshes of one token trigger reuse detection, no token of the family refreshes', async () => {
    await newUser('parallel@example.com');
    for (let round = 0; round < 10; round++) {
      const s = await login('parallel@example.com', PASSWORD);
      const results = await Promise.all(Array.from({ length: 20 }, () => refresh(s.body.refresh_token as string)));
      const winners = results.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      // The 19 replays ended the session: the token the winner got must be dead too, in the database,
      // not only behind the Redis marker (which expires with the access-token TTL).
      const next = await refresh(winners[0]?.body.refresh_token as string);
      expect(next.status, `round ${round}`).toBe(401);
      const live = await f.db('refresh_tokens').where({ family_id: sidOf(s.body.access_token as string) }).whereNull('revoked_at').count<{ count: number }[]>({ count: '*' });
      expect(Number(live[0]?.count), `round ${round}`).toBe(0);
    }
  });

  it('moves the caller to a new session on password change and ends the others', async () => {
    const id = await newUser('own-session@example.com');
    const own = await login('own-session@example.com', PASSWORD);
    const other = await login('own-session@example.com', PASSWORD);
    const changed = await request(f.app)
      .post('/api/auth/password')
      .set(IDENTITY_HEADER, f.asUser(id, 'admin', { session_id: sidOf(own.body.access_token as string) }))
      .send({ current_password: PASSWORD, new_password: 'a brand new password 1' });
    expect(changed.status).toBe(200);
    expect((await refresh(changed.body.refresh_token as string)).status).toBe(200);
    expect((await refresh(own.body.refresh_token as string)).status).toBe(401);
    expect((await refresh(other.body.refresh_token as string)).status).toBe(401);
  });

  it('refuses a new password equal to the current one (an administrator-set one would survive)', async () => {
    const id = await newUser('same-password@example.com');
    const same = await request(f.app)
      .post('/api/auth/password')
      .set(IDENTITY_HEADER, f.asUser(id, 'admin'))
      .send({ current_password: PASSWORD, new_password: PASSWORD });
    expect(same.status).toBe(400);
    expect(same.body.code).toBe('validation_failed');
  });

  it('no session signed in with the old password outlives a concurrent password change', async () => {
    const id = await newUser('pw-race@example.com');
    let current = PASSWORD;
    for (let round = 0; round < 10; round++) {
      const next = `new password ${round} of the race`;
      const own = await login('pw-race@example.com', current);
      const change = (async () =>
        request(f.app)
          .post('/api/auth/password')
          .set(IDENTITY_HEADER, f.asUser(id, 'admin', { session_id: sidOf(own.body.access_token as string) }))
          .send({ current_password: current, new_password: next }))();
      const { result: changed, logins } = await loginsDuring(change, 'pw-race@example.com', current);
      expect(changed.status).toBe(200);
      // A login with the old password may answer 200 only if it finished before the change, and then
      // the change ended its session: none of them may refresh now.
      for (const l of logins.filter((r) => r.status === 200)) expect((await refresh(l.body.refresh_token as string)).status, `round ${round}`).toBe(401);
      current = next;
    }
  });

  it('no session signed in around a deactivation comes back when the user is reactivated', async () => {
    const id = await newUser('deact-race@example.com');
    const adminId = await newUser('root@example.com');
    const admin: Identity = { kind: 'user', sub: adminId, role: 'admin', email: 'root@example.com', session_id: null, ip: '203.0.113.7', user_agent: 'vitest' };
    for (let round = 0; round < 10; round++) {
      const { logins } = await loginsDuring(f.users.setActive(admin, id, false), 'deact-race@example.com', PASSWORD);
      await f.users.setActive(admin, id, true);
      // The reactivated user signs in again (which also clears this round's failed-login count).
      expect((await login('deact-race@example.com', PASSWORD)).status).toBe(200);
      for (const l of logins.filter((r) => r.status === 200)) expect((await refresh(l.body.refresh_token as string)).status, `round ${round}`).toBe(401);
    }
  });
});
