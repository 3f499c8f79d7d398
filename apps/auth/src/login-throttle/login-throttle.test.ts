import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, IDENTITY_HEADER } from '@inkwell/contracts';
import { authFixture, type AuthFixture } from '../testing/auth-fixture';
import { LoginThrottle, type ThrottleClient, type ThrottleSettings } from './login-throttle';

let f: AuthFixture;
beforeAll(async () => {
  f = await authFixture({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '10', LOGIN_MAX_FAILURES_PER_IP: '1000' });
});
afterAll(() => f.close());

/** A throttle of its own under the fixture's Redis namespace (cleaned up with it). */
const throttle = (s: Partial<ThrottleSettings> = {}) =>
  new LoginThrottle(f.redis, `${f.config.REDIS_PREFIX}:${randomBytes(4).toString('hex')}`, { windowSeconds: 900, maxPerAccount: 10, maxPerIp: 50, slowIntervalSeconds: 2, ...s });

/** One sign-in attempt as the login does it: ask, check the password (here: always wrong), record. */
async function wrongGuess(t: LoginThrottle, email: string, ip: string, device: string | null = null): Promise<'checked' | 'refused'> {
  try {
    await t.assertAllowed(email, { ip, device });
  } catch (e) {
    if (e instanceof AppError && e.code === 'rate_limited') return 'refused';
    throw e;
  }
  // A failure needs no call: the reservation already counted it.
  return 'checked';
}

/** A client known only by its address (no device cookie). */
const at = (ip: string): ThrottleClient => ({ ip, device: null });

const tally = (xs: readonly string[]) => xs.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {});

describe('sign-in throttle', () => {
  it('checks at most 10 of a parallel burst of 60 wrong guesses from one client, and the owner still signs in from another', async () => {
    const actor = { kind: 'user' as const, sub: null, role: 'admin' as const, email: null, session_id: null, ip: '127.0.0.1', user_agent: null };
    const { user, temporary_password } = await f.users.create(actor, { email: 'burst@example.com', name: 'Burst', role: 'viewer' });
    const guesses = Array.from({ length: 60 }, (_, i) =>
      request(f.app).post('/api/auth/login').set(IDENTITY_HEADER, f.identity({ ip: '198.51.100.66' })).send({ email: user.email, password: `wrong-guess-${i}` }),
    );
    const statuses = (await Promise.all(guesses)).map((r) => r.status);
    expect(tally(statuses.map(String))).toEqual({ 401: 10, 429: 50 });
    // The attacking client is refused even with the right password...
    const attacker = await request(f.app).post('/api/auth/login').set(IDENTITY_HEADER, f.identity({ ip: '198.51.100.66' })).send({ email: user.email, password: temporary_password });
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers['retry-after'])).toBeGreaterThan(0);
    // ...but the account is not closed: its owner, from a client that has not failed, signs in.
    const owner = await request(f.app).post('/api/auth/login').set(IDENTITY_HEADER, f.identity({ ip: '198.51.100.67' })).send({ email: user.email, password: temporary_password });
    expect(owner.status).toBe(200);
  });

  it('refuses all but the per-client limit of a parallel burst on one account, in every round', async () => {
    const t = throttle();
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(Array.from({ length: 60 }, () => wrongGuess(t, `acct-${round}@example.com`, '192.0.2.9')));
      expect(tally(results)).toEqual({ checked: 10, refused: 50 });
    }
  });

  it('never refuses a client that has not failed on an account that many clients are guessing', async () => {
    const t = throttle({ maxPerAccount: 3 });
    // Three guessing clients fill the account-wide count (3) between them.
    for (const ip of ['192.0.2.31', '192.0.2.32', '192.0.2.33']) expect(await wrongGuess(t, 'hot@example.com', ip)).toBe('checked');
    // A client with no failures on it is checked at once, every time (here: the owner, who succeeds).
    for (let i = 0; i < 5; i++) {
      await t.assertAllowed('hot@example.com', at('192.0.2.40'));
      await t.recordSuccess('hot@example.com', at('192.0.2.40'));
    }
  });

  it('slows clients that failed on a hot account to one check per interval for all of them together', async () => {
    const t = throttle({ maxPerAccount: 3, slowIntervalSeconds: 60 });
    for (const ip of ['192.0.2.51', '192.0.2.52', '192.0.2.53']) expect(await wrongGuess(t, 'slow@example.com', ip)).toBe('checked');
    // The account is hot: of a burst from the three clients that failed, one check passes in this interval.
    const burst = await Promise.all(['192.0.2.51', '192.0.2.52', '192.0.2.53', '192.0.2.51', '192.0.2.52'].map((ip) => wrongGuess(t, 'slow@example.com', ip)));
    expect(tally(burst)).toEqual({ checked: 1, refused: 4 });
    const refusal = await t.assertAllowed('slow@example.com', at('192.0.2.52')).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'rate_limited' });
    expect((refusal as AppError).headers?.['Retry-After']).toMatch(/^[1-9]\d*$/);
  });

  it('keeps checking a browser that signed in before, even after it mistyped, while many addresses hammer the account', async () => {
    const t = throttle({ maxPerAccount: 3, slowIntervalSeconds: 60 });
    const attackers = Array.from({ length: 20 }, (_, i) => `203.0.113.${i + 1}`);
    for (const ip of attackers) await wrongGuess(t, 'owner@example.com', ip);
    // The owner mistypes once from their usual browser (known device) and once from a new one.
    expect(await wrongGuess(t, 'owner@example.com', '198.51.100.7', 'owner-laptop')).toBe('checked');
    expect(await wrongGuess(t, 'owner@example.com', '198.51.100.8')).toBe('checked');
    // The attackers keep taking the account's slow slot...
    const burst = await Promise.all(attackers.map((ip) => wrongGuess(t, 'owner@example.com', ip)));
    expect(burst.filter((r) => r === 'checked').length).toBeLessThanOrEqual(1);
    // ...which the new browser that failed must share, but the known one never does.
    expect(await wrongGuess(t, 'owner@example.com', '198.51.100.8')).toBe('refused');
    for (let i = 0; i < 3; i++) {
      await t.assertAllowed('owner@example.com', { ip: '198.51.100.7', device: 'owner-laptop' });
      await t.recordSuccess('owner@example.com', { ip: '198.51.100.7', device: 'owner-laptop' });
    }
  });

  it('checks a known browser behind an address that has spent its limit, and counts its failures apart', async () => {
    const t = throttle({ maxPerIp: 3, maxPerAccount: 2 });
    for (let i = 0; i < 3; i++) await wrongGuess(t, `spray-${i}@example.com`, '192.0.2.77');
    expect(await wrongGuess(t, 'nat@example.com', '192.0.2.77')).toBe('refused');
    expect(await wrongGuess(t, 'nat@example.com', '192.0.2.77', 'desk-pc')).toBe('checked');
    expect(await wrongGuess(t, 'nat@example.com', '192.0.2.77', 'desk-pc')).toBe('checked');
    // Its own pair limit still holds: a stolen device cookie buys no more guesses than an address.
    expect(await wrongGuess(t, 'nat@example.com', '192.0.2.77', 'desk-pc')).toBe('refused');
  });

  it('refuses all but the per-IP limit of a parallel burst from one address across many accounts', async () => {
    const t = throttle({ maxPerIp: 5 });
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => wrongGuess(t, `spray-${i}@example.com`, '192.0.2.200')));
    expect(tally(results)).toEqual({ checked: 5, refused: 55 });
    await expect(t.assertAllowed('someone-else@example.com', at('192.0.2.200'))).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(t.assertAllowed('someone-else@example.com', at('192.0.2.201'))).resolves.toBeUndefined();
  });

  it('does not count successful sign-ins against the account or the address', async () => {
    const t = throttle({ maxPerAccount: 3, maxPerIp: 3 });
    for (let i = 0; i < 10; i++) {
      await t.assertAllowed('office@example.com', at('192.0.2.50'));
      await t.recordSuccess('office@example.com', at('192.0.2.50'));
    }
    // A success clears the account's failures (two more guesses are checked, not refused)...
    expect(await wrongGuess(t, 'office@example.com', '192.0.2.50')).toBe('checked');
    expect(await wrongGuess(t, 'office@example.com', '192.0.2.50')).toBe('checked');
    await t.assertAllowed('office@example.com', at('192.0.2.50'));
    await t.recordSuccess('office@example.com', at('192.0.2.50'));
    // ...and the address's budget of 3 holds only its 2 failures: one more guess, then refused.
    expect(await wrongGuess(t, 'other@example.com', '192.0.2.50')).toBe('checked');
    expect(await wrongGuess(t, 'another@example.com', '192.0.2.50')).toBe('refused');
  });

  it('unblocks a blocked client when its window ends, with Retry-After saying when', async () => {
    const t = throttle({ windowSeconds: 2, maxPerAccount: 2 });
    expect(await wrongGuess(t, 'window@example.com', '192.0.2.1')).toBe('checked');
    expect(await wrongGuess(t, 'window@example.com', '192.0.2.1')).toBe('checked');
    const refusal = await t.assertAllowed('window@example.com', at('192.0.2.1')).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'rate_limited', details: { retry_after_s: 2 } });
    // Wait (bounded) for the window to end, then the client has a whole new budget.
    const deadline = Date.now() + 5_000;
    while ((await wrongGuess(t, 'window@example.com', '192.0.2.1')) === 'refused') expect(Date.now()).toBeLessThan(deadline);
    expect(await wrongGuess(t, 'window@example.com', '192.0.2.1')).toBe('checked');
    expect(await wrongGuess(t, 'window@example.com', '192.0.2.1')).toBe('refused');
  });
});
