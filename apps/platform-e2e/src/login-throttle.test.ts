import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startPlatform, type Platform } from './harness/platform';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform();
});
afterAll(() => p.close());

/**
 * A sign-in from one loopback address. Linux routes all of 127.0.0.0/8 to loopback, so binding the
 * socket to 127.0.0.2 or 127.0.0.3 gives the gateway two different clients, with no X-Forwarded-For.
 */
function loginFrom(localAddress: string, password: string): Promise<{ status: number; ms: number; cacheControl: string | undefined }> {
  const body = JSON.stringify({ email: ADMIN_EMAIL, password });
  const url = new URL('/api/auth/login', p.url);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', localAddress, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, cacheControl: res.headers['cache-control'] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('sign-in throttling through the gateway', () => {
  it('while one client sends 50 wrong passwords for the admin, the admin signs in from another at once', async () => {
    let firstRefusal: () => void = () => undefined;
    const refused = new Promise<void>((resolve) => (firstRefusal = resolve));
    const attack = (async () => {
      const statuses: number[] = [];
      // Small parallel bursts, as a script would send them.
      for (let burst = 0; burst < 10; burst++) {
        const rs = await Promise.all(Array.from({ length: 5 }, (_, i) => loginFrom('127.0.0.2', `wrong-${burst}-${i}`)));
        statuses.push(...rs.map((r) => r.status));
        if (statuses.includes(429)) firstRefusal();
      }
      firstRefusal();
      return statuses;
    })();
    // The owner signs in while the attack is under way, once the account has been guessed at enough to be throttled...
    await refused;
    const during = await loginFrom('127.0.0.3', ADMIN_PASSWORD);
    const statuses = await attack;
    // ...and again when it is over.
    const after = await loginFrom('127.0.0.3', ADMIN_PASSWORD);

    expect(statuses).toHaveLength(50);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    expect(during.status).toBe(200);
    // The answer carries tokens: nothing between the client and the gateway may keep it.
    expect(during.cacheControl).toBe('no-store');
    expect(after.status).toBe(200);
    // "At once": no waiting out a window (the throttle's only delay is a refusal, never a wait).
    expect(during.ms).toBeLessThan(2_000);
    expect(after.ms).toBeLessThan(2_000);
    // The attacker stays refused, even with the right password.
    expect((await loginFrom('127.0.0.2', ADMIN_PASSWORD)).status).toBe(429);
  });
});
