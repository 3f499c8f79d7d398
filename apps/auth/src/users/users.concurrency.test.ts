import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, type Role } from '@inkwell/contracts';
import { revocationKeys } from '@inkwell/auth-guard';
import { authFixture, type AuthFixture } from '../testing/auth-fixture';

// Races are run for many rounds: one round can pass by luck, twenty in a row do not.
const ROUNDS = 20;

let f: AuthFixture;
let bossId = '';
beforeAll(async () => {
  f = await authFixture();
  bossId = await f.createAdmin('boss@example.com', 'boss-password-123');
});
afterAll(() => f.close());

let seq = 0;
async function createUser(role: Role): Promise<{ id: string; email: string; password: string }> {
  const email = `u${++seq}@example.com`;
  const actor = { kind: 'user' as const, sub: bossId, role: 'admin' as const, email: 'boss@example.com', session_id: null, ip: '127.0.0.1', user_agent: null };
  const { user, temporary_password } = await f.users.create(actor, { email, name: `User ${seq}`, role });
  return { id: user.id, email, password: temporary_password };
}

const activeAdmins = async (): Promise<number> => {
  const [c] = await f.db('users').where({ role: 'admin', active: true }).count<{ count: string }[]>({ count: '*' });
  return Number(c?.count ?? 0);
};

const patchAs = (actorId: string, targetId: string, body: object) =>
  request(f.app).patch(`/api/admin/users/${targetId}`).set(IDENTITY_HEADER, f.asUser(actorId, 'admin')).send(body);

describe('user administration under concurrent requests', () => {
  for (const [what, body] of [['demote', { role: 'viewer' }], ['deactivate', { active: false }]] as const) {
    it(`keeps an active admin when the last two admins ${what} each other at the same moment`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const a = await createUser('admin');
        const b = await createUser('admin');
        // Make a and b the only active admins.
        await f.db('users').where({ role: 'admin' }).whereNotIn('id', [a.id, b.id]).update({ role: 'viewer' });
        expect(await activeAdmins()).toBe(2);

        const [ab, ba] = await Promise.all([patchAs(a.id, b.id, body), patchAs(b.id, a.id, body)]);

        expect([ab.status, ba.status].sort()).toEqual([200, 409]);
        expect((ab.status === 409 ? ab : ba).body.code).toBe('conflict');
        expect(await activeAdmins()).toBe(1);
      }
    });
  }

  it('leaves the gateway’s inactive-user marker agreeing with the database when deactivate and activate race', async () => {
    const markerOf = (id: string) => revocationKeys(f.config.REDIS_PREFIX).user(id);
    const post = (id: string, action: 'deactivate' | 'activate') =>
      request(f.app).post(`/api/admin/users/${id}/${action}`).set(IDENTITY_HEADER, f.asUser(bossId, 'admin'));
    for (let round = 0; round < ROUNDS; round++) {
      const u = await createUser('viewer');
      await request(f.app).post('/api/auth/login').set(IDENTITY_HEADER, f.identity()).send({ email: u.email, password: u.password }).expect(200);
      const [d, a] = await Promise.all([post(u.id, 'deactivate'), post(u.id, 'activate')]);
      expect([d.status, a.status]).toEqual([200, 200]);

      const row = await f.db<{ id: string; active: boolean }>('users').where({ id: u.id }).first();
      const marked = (await f.redis.exists(markerOf(u.id))) === 1;
      // Whichever request committed last wins, and the gateway (which refuses a marked user
      // everywhere) must agree with it.
      expect({ round, marked }).toEqual({ round, marked: row?.active === false });
      // What the user sees: an active user can sign in again, an inactive one cannot.
      const login = await request(f.app).post('/api/auth/login').set(IDENTITY_HEADER, f.identity()).send({ email: u.email, password: u.password });
      expect(login.status).toBe(row?.active ? 200 : 401);
    }
  });
});
