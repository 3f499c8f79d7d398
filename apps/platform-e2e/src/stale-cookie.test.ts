import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './harness/platform';
import { signInAdmin } from './harness/sessions';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform();
});
afterAll(() => p.close());

const cookiesOf = (res: request.Response): string[] => {
  const set = res.headers['set-cookie'] as string[] | string | undefined;
  return set === undefined ? [] : Array.isArray(set) ? set : [set];
};

describe('a stale access cookie', () => {
  it('does not block signing in: POST /api/auth/login with the right password gives 200 and a fresh cookie', async () => {
    const old = await signInAdmin(p);
    // The session ends (here: logout from another client); the browser still holds its access
    // cookie, which is validly signed and unexpired, so only the deny-list knows it is dead.
    expect((await request(p.url).post('/api/auth/logout').send({ refresh_token: old.refresh })).status).toBe(204);
    const stale = `inkwell_access=${old.access}`;
    expect((await request(p.url).get('/api/auth/me').set('Cookie', stale)).status).toBe(401); // the control: it is dead

    const login = await request(p.url).post('/api/auth/login').set('Cookie', stale).send({ email: old.email, password: old.password });
    expect(login.status).toBe(200);
    const fresh = cookiesOf(login).find((c) => c.startsWith('inkwell_access='));
    expect(fresh).toBeDefined();
    expect(fresh).not.toContain(old.access);
    // The new cookie works where the stale one did not.
    expect((await request(p.url).get('/api/auth/me').set('Cookie', (fresh ?? '').split(';')[0] ?? '')).status).toBe(200);
  });

  it('a wrong password with a stale cookie is an ordinary failed sign-in (401), not a session error', async () => {
    const old = await signInAdmin(p);
    await request(p.url).post('/api/auth/logout').send({ refresh_token: old.refresh });
    const res = await request(p.url).post('/api/auth/login').set('Cookie', `inkwell_access=${old.access}`).send({ email: old.email, password: 'wrong-password-here' });
    expect(res.status).toBe(401);
    expect(res.body.message).not.toMatch(/session has ended/i);
  });
});
