import type { Redis } from 'ioredis';

// Sliding-window counter: the previous fixed window's count, weighted by how much of it still
// overlaps the sliding window, plus the current window's count. Two keys per caller instead of a
// log of every request, and one round trip. KEYS[3..] are the caller's revocation markers (ended
// session, deactivated user): checked first in the same round trip, so a signed-in request costs
// the gateway one Redis call, not two, and a revoked one counts against no budget.
const SCRIPT = `
for i = 3, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return {-1, 0} end
end
local limit = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local elapsed_ms = tonumber(ARGV[3])
local prev = tonumber(redis.call('GET', KEYS[2]) or '0')
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local weighted = prev * (window_ms - elapsed_ms) / window_ms
if weighted + cur + 1 > limit then
  return {0, math.floor(weighted + cur)}
end
if ARGV[4] == '0' then return {1, math.floor(weighted + cur)} end
cur = redis.call('INCR', KEYS[1])
if cur == 1 then redis.call('PEXPIRE', KEYS[1], window_ms * 2) end
return {1, math.floor(weighted + cur)}
`;

export interface RateDecision {
  /** One of the revocation keys exists: the caller's session has ended; nothing was counted. */
  readonly revoked: boolean;
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the current window rolls over. */
  readonly resetSeconds: number;
}

type WithCommand = Redis & { slidingWindow(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<[number, number]> };

export class SlidingWindowLimiter {
  private readonly redis: WithCommand;
  constructor(redis: Redis, private readonly prefix: string, private readonly windowSeconds: number) {
    // The number of keys varies (revocation keys), so each call passes it.
    redis.defineCommand('slidingWindow', { lua: SCRIPT });
    this.redis = redis as WithCommand;
  }

  /** Counts one request of `subject` unless it is over `limit` or any of `revocationKeys` exists. */
  hit(subject: string, limit: number, revocationKeys: readonly string[] = [], now = Date.now()): Promise<RateDecision> {
    return this.run(subject, limit, revocationKeys, now, true);
  }

  /** Whether one more request of `subject` would be allowed, counting nothing. */
  peek(subject: string, limit: number, now = Date.now()): Promise<RateDecision> {
    return this.run(subject, limit, [], now, false);
  }

  private async run(subject: string, limit: number, revocationKeys: readonly string[], now: number, counts: boolean): Promise<RateDecision> {
    const windowMs = this.windowSeconds * 1000;
    const index = Math.floor(now / windowMs);
    const elapsed = now - index * windowMs;
    const key = (i: number) => `${this.prefix}:rl:${subject}:${i}`;
    const [allowed, count] = await this.redis.slidingWindow(2 + revocationKeys.length, key(index), key(index - 1), ...revocationKeys, limit, windowMs, elapsed, counts ? 1 : 0);
    return { revoked: allowed === -1, allowed: allowed === 1, limit, remaining: Math.max(0, limit - count), resetSeconds: Math.ceil((windowMs - elapsed) / 1000) };
  }
}
