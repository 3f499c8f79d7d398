import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../harness/platform';
import { createUser, signInAdmin, type Session } from '../harness/sessions';

let p: Platform;
let admin: Session;
let viewer: Session;
let engineer: Session;

/** Sign-in events of `email` the audit service has stored (the audit schema, read from auth's connection). */
async function storedSignIns(email: string): Promise<number> {
  const { rows } = await p.authDb.raw<{ rows: { n: number }[] }>("select count(*)::int as n from audit.events where action = 'auth.login' and result = 'success' and actor_email = ?", [email]);
  return rows[0]?.n ?? 0;
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  for (const deadline = Date.now() + ms; !(await check()); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

beforeAll(async () => {
  p = await startPlatform();
  admin = await signInAdmin(p);
  viewer = await createUser(p, admin, 'viewer');
  engineer = await createUser(p, admin, 'engineer');
  // Real sign-ins through the gateway: auth's outbox, its relay, the `audit` queue, the audit service.
  for (let i = 0; i < 4; i++) await signInAdmin(p);
});
afterAll(() => p.close());

describe('the audit log through the platform', () => {
  it('stores each real sign-in once', async () => {
    await until('five admin sign-ins in audit.events', async () => (await storedSignIns(admin.email)) >= 5);
    expect(await storedSignIns(admin.email)).toBe(5);
  });

  it('verify answers an admin, and only an admin', async () => {
    const res = await request(p.url).get('/api/admin/audit-logs/verify').set('Authorization', `Bearer ${admin.access}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, from_seq: 1, first_bad: null });
    expect(res.body.checked).toBeGreaterThanOrEqual(5);
    for (const s of [viewer, engineer]) {
      const denied = await request(p.url).get('/api/admin/audit-logs/verify').set('Authorization', `Bearer ${s.access}`);
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('forbidden');
    }
    expect((await request(p.url).get('/api/admin/audit-logs/verify')).status).toBe(401);
  });

  it('names an event edited directly in PostgreSQL', async () => {
    const { rows } = await p.authDb.raw<{ rows: { seq: number; event_id: string }[] }>("select seq::int as seq, event_id from audit.events where action = 'auth.login' order by seq limit 1");
    const target = rows[0];
    if (!target) throw new Error('no sign-in event stored');
    await p.authDb.raw("update audit.events set actor_email = 'someone-else@e2e.test' where seq = ?", [target.seq]);
    const res = await request(p.url).get('/api/admin/audit-logs/verify').set('Authorization', `Bearer ${admin.access}`);
    expect(res.body).toMatchObject({ ok: false, first_bad: { seq: target.seq, event_id: target.event_id, reason: 'altered' } });
  });

  it('refuses a bound that is neither a seq nor a time', async () => {
    const res = await request(p.url).get('/api/admin/audit-logs/verify?from=yesterday').set('Authorization', `Bearer ${admin.access}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});
