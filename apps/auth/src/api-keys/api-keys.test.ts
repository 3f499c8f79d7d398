import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER } from '@inkwell/contracts';
import { authFixture, type AuthFixture } from '../testing/auth-fixture';

let f: AuthFixture;
let adminId = '';
beforeAll(async () => {
  f = await authFixture();
  adminId = await f.createAdmin('keys-admin@example.com', 'keys-admin-password-123');
});
afterAll(() => f.close());

const asAdmin = () => f.asUser(adminId, 'admin');
const createKey = async (name: string): Promise<{ id: string; secret: string }> => {
  const res = await request(f.app).post('/api/admin/api-keys').set(IDENTITY_HEADER, asAdmin()).send({ name, role: 'viewer' });
  expect(res.status).toBe(201);
  return { id: res.body.api_key.id as string, secret: res.body.secret as string };
};
const revoke = (id: string) => request(f.app).delete(`/api/admin/api-keys/${id}`).set(IDENTITY_HEADER, asAdmin());
const revokedAt = async (id: string) => (await f.db<{ id: string; revoked_at: Date | null }>('api_keys').where({ id }).first())?.revoked_at ?? null;
const revokeEvents = async (id: string) =>
  (await f.db<{ topic: string; payload: { action: string; target: { id: string } | null } }>('outbox').where({ topic: 'audit' })).filter((r) => r.payload.action === 'api_key.revoke' && r.payload.target?.id === id);

describe('API keys', () => {
  it('revokes a key once: revoking it again answers 204 but keeps the first revocation time and audit event', async () => {
    const key = await createKey('twice');
    expect((await revoke(key.id)).status).toBe(204);
    const first = await revokedAt(key.id);
    expect(first).toBeInstanceOf(Date);
    const verify = await request(f.app).post('/internal/api-keys/verify').set(IDENTITY_HEADER, f.identity()).send({ key: key.secret });
    expect(verify.status).toBe(401);

    expect((await revoke(key.id)).status).toBe(204);
    expect(await revokedAt(key.id)).toEqual(first);
    expect(await revokeEvents(key.id)).toHaveLength(1);
  });

  it('records one revocation when the same key is revoked by parallel requests', async () => {
    for (let round = 0; round < 5; round++) {
      const key = await createKey(`parallel-${round}`);
      const statuses = (await Promise.all(Array.from({ length: 4 }, () => revoke(key.id)))).map((r) => r.status);
      expect(statuses).toEqual([204, 204, 204, 204]);
      expect(await revokeEvents(key.id)).toHaveLength(1);
    }
  });

  it('answers 404 for revoking a key that does not exist', async () => {
    const res = await revoke('00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});
