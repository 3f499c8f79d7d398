import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenClaims, IDENTITY_HEADER, type Identity } from '@inkwell/contracts';
import { authFixture, type AuthFixture } from '../testing/auth-fixture';

let f: AuthFixture;
let adminId: string;
const claimsOf = (token: string) => AccessTokenClaims.parse(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()));
const login = (email: string, password: string) => request(f.app).post('/api/auth/login').set(IDENTITY_HEADER, f.identity({ ip: '198.51.100.40' })).send({ email, password });
const createUser = async (email: string): Promise<{ id: string; password: string; res: request.Response }> => {
  const res = await request(f.app).post('/api/admin/users').set(IDENTITY_HEADER, f.asUser(adminId, 'admin')).send({ email, name: 'Temp', role: 'viewer' });
  expect(res.status).toBe(201);
  return { id: res.body.user.id as string, password: res.body.temporary_password as string, res };
};

beforeAll(async () => {
  f = await authFixture({ TEMP_PASSWORD_TTL_H: '72' });
  adminId = await f.createAdmin('root@example.com', 'correct horse battery staple');
});
afterAll(() => f.close());

describe('temporary passwords', () => {
  it('are answered once, never cached', async () => {
    const { res } = await createUser('nocache@example.com');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
  });

  it('expire after TEMP_PASSWORD_TTL_H hours', async () => {
    const before = Date.now();
    const { id } = await createUser('ttl@example.com');
    const row = await f.db('users').where({ id }).first<{ temporary_password_expires_at: Date }>();
    const ttlMs = row.temporary_password_expires_at.getTime() - before;
    expect(ttlMs).toBeGreaterThan(72 * 3600_000 - 60_000);
    expect(ttlMs).toBeLessThan(72 * 3600_000 + 60_000);
  });

  it('an expired temporary password cannot sign in: 401 as a wrong password, audited with the reason', async () => {
    const { id, password } = await createUser('expired@example.com');
    await f.db('users').where({ id }).update({ temporary_password_expires_at: f.db.raw("now() - interval '1 second'") });
    const expired = await login('expired@example.com', password);
    const wrong = await login('expired@example.com', 'not the password');
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe(wrong.body.message);
    const audits = await f.db('outbox').where({ topic: 'audit' }).select<{ payload: { action: string; details?: { reason?: string } } }[]>('payload');
    expect(audits.some((a) => a.payload.action === 'auth.login' && a.payload.details?.reason === 'temporary_password_expired')).toBe(true);
  });

  it('a session signed in with a temporary password ends when it expires: no refresh, no trading it for a password of one\'s own', async () => {
    const { id, password } = await createUser('lapsed@example.com');
    const first = await login('lapsed@example.com', password);
    expect(first.status).toBe(200);
    await f.db('users').where({ id }).update({ temporary_password_expires_at: f.db.raw("now() - interval '1 second'") });
    const refreshed = await request(f.app).post('/api/auth/refresh').set(IDENTITY_HEADER, f.identity()).send({ refresh_token: first.body.refresh_token });
    expect(refreshed.status).toBe(401);
    const caller: Partial<Identity> = { session_id: claimsOf(first.body.access_token as string).sid };
    const changed = await request(f.app).post('/api/auth/password').set(IDENTITY_HEADER, f.asUser(id, 'viewer', caller)).send({ current_password: password, new_password: 'my own password now' });
    expect(changed.status).toBe(401);
    expect((await login('lapsed@example.com', 'my own password now')).status).toBe(401);
  });

  it('mark sign-ins and refreshes with pwc until the password is changed, then the new token has none', async () => {
    const { id, password } = await createUser('pwc@example.com');
    const first = await login('pwc@example.com', password);
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(claimsOf(first.body.access_token as string).pwc).toBe(true);
    const refreshed = await request(f.app).post('/api/auth/refresh').set(IDENTITY_HEADER, f.identity()).send({ refresh_token: first.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers['cache-control']).toBe('no-store');
    expect(claimsOf(refreshed.body.access_token as string).pwc).toBe(true);
    const caller: Partial<Identity> = { session_id: claimsOf(refreshed.body.access_token as string).sid };
    const changed = await request(f.app).post('/api/auth/password').set(IDENTITY_HEADER, f.asUser(id, 'viewer', caller)).send({ current_password: password, new_password: 'my own password now' });
    expect(changed.status).toBe(200);
    expect(claimsOf(changed.body.access_token as string).pwc).toBeUndefined();
    const again = await login('pwc@example.com', 'my own password now');
    expect(claimsOf(again.body.access_token as string).pwc).toBeUndefined();
    const row = await f.db('users').where({ id }).first<{ temporary_password_expires_at: Date | null }>();
    expect(row.temporary_password_expires_at).toBeNull();
  });
});
