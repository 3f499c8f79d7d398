import { randomBytes } from 'node:crypto';
import { revocationKeys } from '@inkwell/auth-guard';
import { processEnv } from '@inkwell/config';
import { createRedis } from '@inkwell/queue';
import { afterAll, describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './sliding-window';

const prefix = `t${randomBytes(5).toString('hex')}`;
const redis = createRedis(processEnv().REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
const limiter = new SlidingWindowLimiter(redis, prefix, 60);
// Mid-window, so the previous window weighs half and nothing rolls over during the test.
const now = 1_000 * 60 * 1_000 + 30_000;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('SlidingWindowLimiter', () => {
  it('allows `limit` requests in a window, then refuses without counting', async () => {
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await limiter.hit('ip:a', 3, [], now));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(decisions.every((d) => !d.revoked)).toBe(true);
    expect(decisions[0]?.resetSeconds).toBe(30);
  });

  it('weighs the previous window by its overlap', async () => {
    for (let i = 0; i < 4; i++) await limiter.hit('ip:b', 100, [], now - 60_000);
    // 4 requests last window, half of it still overlapping: 2 count now.
    expect((await limiter.hit('ip:b', 100, [], now)).remaining).toBe(100 - 2 - 1);
  });

  it('peeks without counting: allowed while budget is left, refused once it is spent', async () => {
    for (let i = 0; i < 5; i++) expect((await limiter.peek('ip:c', 2, now)).allowed).toBe(true);
    await limiter.hit('ip:c', 2, [], now);
    await limiter.hit('ip:c', 2, [], now);
    expect((await limiter.peek('ip:c', 2, now)).allowed).toBe(false);
  });

  it('answers revoked, and counts nothing, when a revocation key exists', async () => {
    const session = revocationKeys(prefix).session('s1');
    const user = revocationKeys(prefix).user('u1');
    expect((await limiter.hit('user:u1', 10, [session, user], now)).revoked).toBe(false);
    await redis.set(user, '1');
    const d = await limiter.hit('user:u1', 10, [session, user], now);
    expect(d.revoked).toBe(true);
    expect(d.allowed).toBe(false);
    await redis.del(user);
    // Only the first (not revoked) request was counted.
    expect((await limiter.hit('user:u1', 10, [session, user], now)).remaining).toBe(10 - 2);
  });
});
