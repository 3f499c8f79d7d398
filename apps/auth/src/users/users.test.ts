import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER } from '@inkwell/contracts';
import { authFixture, type AuthFixture } from '../testing/auth-fixture';

let f: AuthFixture;
let adminId = '';
beforeAll(async () => {
  f = await authFixture();
  adminId = await f.createAdmin('boss@example.com', 'boss-password-123');
});
afterAll(() => f.close());

const asAdmin = () => f.asUser(adminId, 'admin');

describe('user administration', () => {
  it('creates a user with a one-time temporary password that must be changed, and records the invitation without it', async () => {
    const res = await request(f.app).post('/api/admin/users').set(IDENTITY_HEADER, asAdmin()).send({ email: 'new@example.com', name: 'New Person', role: 'engineer' });
    expect(res.status).toBe(201);
    expect(res.body.user.must_change_password).toBe(true);
    const password = res.body.temporary_password as string;
    const outbox = await f.db('outbox').where({ topic: 'email' });
    expect(outbox).toHaveLength(1);
    expect(JSON.stringify(outbox[0].payload)).toContain('new@example.com');
    expect(JSON.stringify(outbox)).not.toContain(password);
    const login = await request(f.app).post('/api/auth/login').set(IDENTITY_HEADER, f.identity()).send({ email: 'new@example.com', password });
    expect(login.status).toBe(200);
    expect(login.body.user.must_change_password).toBe(true);
  });

  it('refuses to change one’s own active flag and ignores one’s own role', async () => {
    expect((await request(f.app).post(`/api/admin/users/${adminId}/deactivate`).set(IDENTITY_HEADER, asAdmin())).body.code).toBe('conflict');
    const res = await request(f.app).patch(`/api/admin/users/${adminId}`).set(IDENTITY_HEADER, asAdmin()).send({ role: 'viewer' });
    expect(res.body.role).toBe('admin');
  });

  it('never demotes or deactivates the last active admin', async () => {
    const other = await f.users.create({ kind: 'user', sub: adminId, role: 'admin', email: 'boss@example.com', session_id: null, ip: '127.0.0.1', user_agent: null }, { email: 'second@example.com', name: 'Second', role: 'admin' });
    // Demoting one of two admins is fine; then the remaining one is protected.
    const demote = await request(f.app).patch(`/api/admin/users/${other.user.id}`).set(IDENTITY_HEADER, asAdmin()).send({ role: 'viewer' });
    expect(demote.body.role).toBe('viewer');
    const self = await request(f.app).patch(`/api/admin/users/${adminId}`).set(IDENTITY_HEADER, f.asUser(other.user.id, 'admin')).send({ role: 'viewer' });
    expect(self.status).toBe(409);
  });

  it('rejects unknown fields, bad emails and unknown users with the one error body', async () => {
    const bad = await request(f.app).patch(`/api/admin/users/${adminId}`).set(IDENTITY_HEADER, asAdmin()).send({ password_hash: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect((await request(f.app).post('/api/admin/users').set(IDENTITY_HEADER, asAdmin()).send({ email: 'not-an-email', name: 'x', role: 'viewer' })).status).toBe(400);
    const missing = await request(f.app).get('/api/admin/users/00000000-0000-4000-8000-000000000000').set(IDENTITY_HEADER, asAdmin());
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
  });

  it('records user actions as audit events with who, what, target and request id', async () => {
    await request(f.app).post('/api/admin/users').set(IDENTITY_HEADER, asAdmin()).set('X-Request-ID', 'req-audit-1').send({ email: 'audited@example.com', name: 'A', role: 'viewer' });
    const rows = await f.db('outbox').where({ topic: 'audit' });
    const event = rows.map((r) => r.payload as { action: string; request_id: string; actor: { id: string }; target: { id: string }; ip: string }).find((e) => e.request_id === 'req-audit-1');
    expect(event).toMatchObject({ action: 'user.create', actor: { id: adminId }, ip: '203.0.113.7' });
    expect(event?.target.id).toMatch(/[0-9a-f-]{36}/);
  });
});
