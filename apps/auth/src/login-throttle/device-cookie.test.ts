import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER } from '@inkwell/contracts';
import { authFixture, type AuthFixture } from '../testing/auth-fixture';
import { DEVICE_COOKIE } from './device-cookie';

let f: AuthFixture;
beforeAll(async () => {
  f = await authFixture({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '1000', LOGIN_SLOW_INTERVAL_S: '60' });
});
afterAll(() => f.close());

const actor = { kind: 'user' as const, sub: null, role: 'admin' as const, email: null, session_id: null, ip: '127.0.0.1', user_agent: null };

function login(email: string, password: string, ip: string, cookie?: string) {
  const req = request(f.app).post('/api/auth/login').set(IDENTITY_HEADER, f.identity({ ip }));
  if (cookie) req.set('Cookie', cookie);
  return req.send({ email, password });
}

/** The device cookie a sign-in set, as a browser would send it back to /api/auth/login. */
function deviceCookieOf(res: { headers: Record<string, unknown> }): string {
  const set = res.headers['set-cookie'];
  const line = (Array.isArray(set) ? set : []).find((c: unknown) => typeof c === 'string' && c.startsWith(`${DEVICE_COOKIE}=`));
  if (typeof line !== 'string') throw new Error('no device cookie was set');
  expect(line).toMatch(/HttpOnly/);
  expect(line).toMatch(/Path=\/api\/auth\/login/);
  return line.split(';')[0] ?? '';
}

describe('device cookies', () => {
  it('let the owner who mistyped sign in from their usual browser while many addresses hammer the account', async () => {
    const { user, temporary_password: password } = await f.users.create(actor, { email: 'hammered@example.com', name: 'Owner', role: 'viewer' });
    const laptop = deviceCookieOf(await login(user.email, password, '198.51.100.7'));
    const other = await f.users.create(actor, { email: 'someone-else@example.com', name: 'Other', role: 'viewer' });
    const othersCookie = deviceCookieOf(await login(other.user.email, other.temporary_password, '198.51.100.9'));

    for (let i = 1; i <= 20; i++) expect((await login(user.email, `guess-${i}`, `203.0.113.${i}`)).status).not.toBe(200);
    // The owner mistypes once, from the usual browser and from a browser the account never saw.
    expect((await login(user.email, 'typo', '198.51.100.7', laptop)).status).toBe(401);
    expect((await login(user.email, 'typo', '198.51.100.8')).status).toBe(401);
    // The attackers keep the account's slow slot taken.
    await Promise.all(Array.from({ length: 20 }, (_, i) => login(user.email, `again-${i}`, `203.0.113.${i + 1}`)));

    expect((await login(user.email, password, '198.51.100.7', laptop)).status).toBe(200);
    // Without the cookie, or with one issued for another account, the owner waits like any client that failed.
    expect((await login(user.email, password, '198.51.100.8')).status).toBe(429);
    expect((await login(user.email, password, '198.51.100.8', othersCookie)).status).toBe(429);
    expect((await login(user.email, password, '198.51.100.8', `${DEVICE_COOKIE}=forged.AAAA`)).status).toBe(429);
  });
});
