import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './harness/platform';
import { createUser, signIn, signInAdmin, type Session } from './harness/sessions';

let p: Platform;
let admin: Session;
beforeAll(async () => {
  p = await startPlatform();
  admin = await signInAdmin(p);
});
afterAll(() => p.close());

const me = (s: { access: string }) => request(p.url).get('/api/auth/me').set('Authorization', `Bearer ${s.access}`);

describe('sessions through the gateway', () => {
  it('logout makes the live access token fail at once', async () => {
    const s = await signIn(p, admin.email, admin.password);
    expect((await me(s)).status).toBe(200);
    expect((await request(p.url).post('/api/auth/logout').set('Authorization', `Bearer ${s.access}`).send({ refresh_token: s.refresh })).status).toBe(204);
    expect((await me(s)).status).toBe(401);
    expect((await request(p.url).post('/api/auth/refresh').send({ refresh_token: s.refresh })).status).toBe(401);
  });

  it('rotates refresh tokens and a reused one ends the session everywhere', async () => {
    const s = await signIn(p, admin.email, admin.password);
    const r2 = await request(p.url).post('/api/auth/refresh').send({ refresh_token: s.refresh });
    expect(r2.status).toBe(200);
    expect((await me({ access: r2.body.access_token })).status).toBe(200);
    expect((await request(p.url).post('/api/auth/refresh').send({ refresh_token: s.refresh })).status).toBe(401);
    // The family is gone: the newest access token and refresh token stop too.
    expect((await me({ access: r2.body.access_token })).status).toBe(401);
    expect((await request(p.url).post('/api/auth/refresh').send({ refresh_token: r2.body.refresh_token })).status).toBe(401);
  });

  it('a deactivated user’s live token is refused, and they cannot sign in', async () => {
    const viewer = await createUser(p, admin, 'viewer');
    expect((await me(viewer)).status).toBe(200);
    const off = await request(p.url).post(`/api/admin/users/${viewer.userId}/deactivate`).set('Authorization', `Bearer ${admin.access}`);
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await me(viewer)).status).toBe(401);
    expect((await request(p.url).post('/api/auth/login').send({ email: viewer.email, password: viewer.password })).status).toBe(401);
    // Reactivation lets them sign in again (their old tokens stay dead).
    expect((await request(p.url).post(`/api/admin/users/${viewer.userId}/activate`).set('Authorization', `Bearer ${admin.access}`)).status).toBe(200);
    expect((await me(viewer)).status).toBe(401);
    expect((await signIn(p, viewer.email, viewer.password)).userId).toBe(viewer.userId);
  });

  it('ignores PATCH and PUT of one’s own role and active flag', async () => {
    for (const method of ['patch', 'put'] as const) {
      const res = await request(p.url)[method](`/api/admin/users/${admin.userId}`).set('Authorization', `Bearer ${admin.access}`).send({ role: 'viewer', active: false, name: `Admin ${method}` });
      expect(res.status).toBe(200);
      expect(res.body.role).toBe('admin');
      expect(res.body.active).toBe(true);
      expect(res.body.name).toBe(`Admin ${method}`);
    }
    expect((await me(admin)).body.role).toBe('admin');
  });

  it('a web client signs in with cookies alone', async () => {
    const agent = request.agent(p.url);
    const login = await agent.post('/api/auth/login').send({ email: admin.email, password: admin.password });
    expect(login.status).toBe(200);
    expect((await agent.get('/api/auth/me')).status).toBe(200);
    expect((await agent.post('/api/auth/refresh').send({})).status).toBe(200);
    expect((await agent.post('/api/auth/logout').send({})).status).toBe(204);
    expect((await agent.get('/api/auth/me')).status).toBe(401);
  });

  it('20 failed logins in a row get 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await request(p.url).post('/api/auth/login').send({ email: 'target@e2e.test', password: `nope-${i}` })).status);
    expect(statuses).toContain(429);
    expect(statuses.at(-1)).toBe(429);
  });
});
