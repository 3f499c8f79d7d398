import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ROUTES } from '@inkwell/contracts';
import { startPlatform, type Platform } from './harness/platform';
import { createUser, signInAdmin, type Session } from './harness/sessions';

let p: Platform;
let admin: Session;
let viewer: Session;
beforeAll(async () => {
  p = await startPlatform({ env: { METRICS_TOKEN: 'prometheus-scrape-token-0123456789' } });
  admin = await signInAdmin(p);
  viewer = await createUser(p, admin, 'viewer');
});
afterAll(() => p.close());

const concrete = (path: string) => path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');

describe('roles', () => {
  const adminRoutes = PUBLIC_ROUTES.filter((r) => r.access === 'admin' || r.access === 'engineer');

  it('the route table has admin routes to walk', () => {
    expect(adminRoutes.length).toBeGreaterThan(10);
  });

  it('a viewer gets 403 on every admin and engineer route', async () => {
    const failures: string[] = [];
    for (const r of adminRoutes) {
      const res = await request(p.url)[r.method](concrete(r.path)).set('Authorization', `Bearer ${viewer.access}`).send({});
      if (res.status !== 403 || res.body.code !== 'forbidden') failures.push(`${r.method.toUpperCase()} ${r.path} -> ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('a guest gets 401 on every route that needs a role', async () => {
    const failures: string[] = [];
    for (const r of PUBLIC_ROUTES.filter((x) => x.access !== 'public' && x.access !== 'guest')) {
      const res = await request(p.url)[r.method](concrete(r.path)).send({});
      if (res.status !== 401) failures.push(`${r.method.toUpperCase()} ${r.path} -> ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('bull-board is 200 for admins and 403 for others', async () => {
    expect((await request(p.url).get('/admin/queues').set('Authorization', `Bearer ${admin.access}`)).status).toBe(200);
    expect((await request(p.url).get('/admin/queues').set('Authorization', `Bearer ${viewer.access}`)).status).toBe(403);
    expect((await request(p.url).get('/admin/queues')).status).toBe(401);
  });

  it('gateway metrics need admin rights', async () => {
    expect((await request(p.url).get('/metrics').set('Authorization', `Bearer ${viewer.access}`)).status).toBe(403);
    const res = await request(p.url).get('/metrics').set('Authorization', `Bearer ${admin.access}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket/);
    expect((await request(p.url).get('/metrics').set('Authorization', 'Bearer prometheus-scrape-token-0123456789')).status).toBe(200);
    expect((await request(p.url).get('/metrics').set('Authorization', 'Bearer prometheus-scrape-token-0123456780')).status).toBe(401);
  });

  it('admins list, filter and search users; an email is unique regardless of case', async () => {
    const auth = { Authorization: `Bearer ${admin.access}` };
    const created = await request(p.url).post('/api/admin/users').set(auth).send({ email: 'Grace.Hopper@e2e.test', name: 'Grace Hopper', role: 'engineer' });
    expect(created.status).toBe(201);
    expect(created.body.temporary_password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await request(p.url).post('/api/admin/users').set(auth).send({ email: 'grace.hopper@E2E.test', name: 'Dup', role: 'viewer' })).body.code).toBe('conflict');
    const search = await request(p.url).get('/api/admin/users?q=hopper').set(auth);
    expect(search.body.items.map((u: { name: string }) => u.name)).toEqual(['Grace Hopper']);
    const engineers = await request(p.url).get('/api/admin/users?role=engineer&status=active').set(auth);
    expect(engineers.body.items.every((u: { role: string; active: boolean }) => u.role === 'engineer' && u.active)).toBe(true);
    const page = await request(p.url).get('/api/admin/users?page=1&page_size=1').set(auth);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThanOrEqual(3);
    expect((await request(p.url).get('/api/admin/users?role=superuser').set(auth)).body.code).toBe('validation_failed');
  });

  it('no response contains a password or key hash', async () => {
    const auth = { Authorization: `Bearer ${admin.access}` };
    const key = await request(p.url).post('/api/admin/api-keys').set(auth).send({ name: 'ci', role: 'viewer' });
    const bodies = [
      key.text,
      (await request(p.url).get('/api/admin/api-keys').set(auth)).text,
      (await request(p.url).get('/api/admin/users').set(auth)).text,
      (await request(p.url).get(`/api/admin/users/${viewer.userId}`).set(auth)).text,
      (await request(p.url).get('/api/auth/me').set(auth)).text,
      (await request(p.url).post('/api/auth/login').send({ email: admin.email, password: admin.password })).text,
    ];
    const rows = await p.authDb('users').select('password_hash');
    const keyRows = await p.authDb('api_keys').select('secret_hash');
    const secrets = [...rows.map((r: { password_hash: string }) => r.password_hash), ...keyRows.map((r: { secret_hash: string }) => r.secret_hash)];
    for (const body of bodies) {
      expect(body).not.toMatch(/password_hash|secret_hash|\$argon2/);
      for (const s of secrets) expect(body).not.toContain(s);
    }
  });
});
