import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './harness/platform';
import { signInAdmin, type Session } from './harness/sessions';

const ENV_KEY = 'env-key-for-e2e-0123456789abcdef';
let p: Platform;
let admin: Session;
beforeAll(async () => {
  p = await startPlatform({ env: { API_KEY: ENV_KEY, API_KEY_ROLE: 'admin' } });
  admin = await signInAdmin(p);
});
afterAll(() => p.close());

const createKey = async (role: string, extra: object = {}) => {
  const res = await request(p.url).post('/api/admin/api-keys').set('Authorization', `Bearer ${admin.access}`).send({ name: `${role} key`, role, ...extra });
  expect(res.status).toBe(201);
  // The secret is in this body, once: nothing between here and the admin may keep a copy.
  expect(res.headers['cache-control']).toBe('no-store');
  return res.body as { api_key: { id: string; prefix: string }; secret: string };
};

describe('API keys', () => {
  it('a created key works through X-API-Key with its role', async () => {
    const adminKey = await createKey('admin');
    const viewerKey = await createKey('viewer');
    expect(adminKey.secret.startsWith(`${adminKey.api_key.prefix}_`)).toBe(true);
    expect((await request(p.url).get('/api/admin/users').set('X-API-Key', adminKey.secret)).status).toBe(200);
    expect((await request(p.url).get('/api/admin/users').set('X-API-Key', viewerKey.secret)).status).toBe(403);
    const list = await request(p.url).get('/api/admin/api-keys').set('X-API-Key', adminKey.secret);
    const listed = list.body.items.find((k: { id: string }) => k.id === adminKey.api_key.id);
    expect(listed.last_used_at).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(adminKey.secret);
  });

  it('stores no plaintext secret in PostgreSQL', async () => {
    const k = await createKey('viewer');
    const row = await p.authDb('api_keys').where({ id: k.api_key.id }).first();
    expect(JSON.stringify(row)).not.toContain(k.secret);
    expect(JSON.stringify(row)).not.toContain(k.secret.slice(k.api_key.prefix.length + 1));
  });

  it('a revoked key is refused on the next request', async () => {
    const k = await createKey('admin');
    expect((await request(p.url).get('/api/admin/users').set('X-API-Key', k.secret)).status).toBe(200);
    expect((await request(p.url).delete(`/api/admin/api-keys/${k.api_key.id}`).set('Authorization', `Bearer ${admin.access}`)).status).toBe(204);
    const res = await request(p.url).get('/api/admin/users').set('X-API-Key', k.secret);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('a key in use, held by the gateway, is refused on the first request after its revocation', async () => {
    const k = await createKey('viewer');
    for (let i = 0; i < 5; i++) expect((await request(p.url).get('/v1/version').set('X-API-Key', k.secret)).status).toBe(200);
    expect((await request(p.url).delete(`/api/admin/api-keys/${k.api_key.id}`).set('Authorization', `Bearer ${admin.access}`)).status).toBe(204);
    // Auth announces the revocation after it commits; gateways drop the key when the message
    // lands (well under 1 s). Polled for at most 1 s: every answer after the first 401 is 401.
    const start = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - start < 1000) status = (await request(p.url).get('/v1/version').set('X-API-Key', k.secret)).status;
    expect(status).toBe(401);
    expect(Date.now() - start).toBeLessThan(1000);
    expect((await request(p.url).get('/v1/version').set('X-API-Key', k.secret)).status).toBe(401);
  });

  it('an expired key is refused; a garbage key is refused rather than treated as a guest', async () => {
    const k = await createKey('admin', { expires_at: new Date(Date.now() + 1500).toISOString() });
    expect((await request(p.url).get('/api/admin/users').set('X-API-Key', k.secret)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600)); // the key's own expiry is the condition under test
    expect((await request(p.url).get('/api/admin/users').set('X-API-Key', k.secret)).status).toBe(401);
    expect((await request(p.url).get('/api/admin/users').set('X-API-Key', 'ink_deadbeef_nope')).status).toBe(401);
  });

  it('honours the environment API_KEY with its configured role', async () => {
    expect((await request(p.url).get('/api/admin/users').set('X-API-Key', ENV_KEY)).status).toBe(200);
    expect((await request(p.url).get('/api/admin/users').set('X-API-Key', `${ENV_KEY}x`)).status).toBe(401);
    const config = await request(p.url).get('/api/admin/api-config').set('X-API-Key', ENV_KEY);
    expect(config.body.env_api_key_configured).toBe(true);
    expect(config.body.rate_limits.guest_per_min).toBe(100);
    expect(config.body.examples.length).toBeGreaterThan(0);
  });
});
