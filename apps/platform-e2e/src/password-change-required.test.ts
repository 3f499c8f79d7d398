import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ROUTES } from '@inkwell/contracts';
import { startPlatform, type Platform } from './harness/platform';
import { signInAdmin, type Session } from './harness/sessions';

let p: Platform;
let admin: Session;
beforeAll(async () => {
  p = await startPlatform();
  admin = await signInAdmin(p);
});
afterAll(() => p.close());

/**
 * An access token exactly like auth issues for a sign-in with a temporary password (`pwc: true`),
 * signed with auth's own key: the gateway's answer depends on the claim alone.
 */
function temporaryPasswordToken(session: Session = admin): string {
  const { sid } = JSON.parse(Buffer.from(session.access.split('.')[1] ?? '', 'base64url').toString()) as { sid: string };
  return jwt.sign({ role: 'admin', email: session.email, sid, pwc: true }, p.authKey.privateKey, {
    algorithm: 'RS256', keyid: p.authKey.kid, issuer: p.issuer, audience: p.audience, subject: session.userId, expiresIn: 60,
  });
}

const ANY_ID = '00000000-0000-4000-8000-000000000000';
/** Sign-in and refresh ignore the access token (a stale or temporary one must not block signing in). */
const CREDENTIAL_ENDPOINTS = new Set(['/api/auth/login', '/api/auth/refresh']);
const ALLOWED = new Set(['get /api/auth/me', 'post /api/auth/password', 'post /api/auth/logout']);

describe('a temporary-password session', () => {
  it('gets 403 password_change_required on every route but change-password, /me and logout', async () => {
    const token = temporaryPasswordToken();
    const checked: string[] = [];
    for (const r of PUBLIC_ROUTES) {
      if (CREDENTIAL_ENDPOINTS.has(r.path) || ALLOWED.has(`${r.method} ${r.path}`)) continue;
      const res = await request(p.url)[r.method](r.path.replace(/\{\w+\}/g, ANY_ID)).set('Authorization', `Bearer ${token}`).send({});
      expect({ route: `${r.method} ${r.path}`, status: res.status, code: res.body.code }).toEqual({ route: `${r.method} ${r.path}`, status: 403, code: 'password_change_required' });
      checked.push(r.path);
    }
    expect(checked.length).toBeGreaterThan(10);
    for (const path of ['/metrics', '/admin/queues']) {
      const res = await request(p.url).get(path).set('Authorization', `Bearer ${token}`);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 403, code: 'password_change_required' });
    }
  });

  it('may read /me, and reaches change-password and logout (auth answers them, not the gateway guard)', async () => {
    // A session of its own: logging out below ends it.
    const token = temporaryPasswordToken(await signInAdmin(p));
    const me = await request(p.url).get('/api/auth/me').set('Authorization', `Bearer ${token}`);
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(admin.email);
    // A wrong current password: whatever auth answers, it is auth's answer (the gateway let it through).
    const change = await request(p.url).post('/api/auth/password').set('Authorization', `Bearer ${token}`).send({ current_password: 'not-it-at-all', new_password: 'a-new-password-123456' });
    expect(change.body.code).not.toBe('password_change_required');
    const logout = await request(p.url).post('/api/auth/logout').set('Authorization', `Bearer ${token}`).send({});
    expect(logout.body.code).not.toBe('password_change_required');
  });

  it('end to end: a user created by an admin signs in with the temporary password, is held to the three routes, and is free once they change it', async () => {
    const email = `temp-${Math.random().toString(36).slice(2, 8)}@e2e.test`;
    const created = await request(p.url).post('/api/admin/users').set('Authorization', `Bearer ${admin.access}`).send({ email, name: 'Temp user', role: 'viewer' });
    expect(created.status).toBe(201);
    const temporary = created.body.temporary_password as string;
    const first = await request(p.url).post('/api/auth/login').send({ email, password: temporary });
    expect(first.status).toBe(200);
    const bearer = `Bearer ${first.body.access_token as string}`;
    const blocked = await request(p.url).get('/v1/models/active').set('Authorization', bearer);
    expect({ status: blocked.status, code: blocked.body.code }).toEqual({ status: 403, code: 'password_change_required' });
    expect((await request(p.url).get('/api/auth/me').set('Authorization', bearer)).status).toBe(200);

    const newPassword = 'a-brand-new-password-123';
    const changed = await request(p.url).post('/api/auth/password').set('Authorization', bearer).send({ current_password: temporary, new_password: newPassword });
    expect(changed.status).toBeLessThan(300);
    const again = await request(p.url).post('/api/auth/login').send({ email, password: newPassword });
    expect(again.status).toBe(200);
    expect((await request(p.url).get('/v1/models/active').set('Authorization', `Bearer ${again.body.access_token as string}`)).status).toBe(200);
  });

  it('the same token without the flag passes the guard (the control)', async () => {
    const res = await request(p.url).get('/api/admin/users').set('Authorization', `Bearer ${admin.access}`);
    expect(res.status).toBe(200);
  });
});
