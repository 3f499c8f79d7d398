import type { Redis } from 'ioredis';
import { AppError } from '@inkwell/contracts';

const WINDOW_MS = 60_000;

/**
 * Takes one slot of a sliding window in one step: drops entries older than the window, refuses
 * when `limit` remain, else adds this one. Returns 0 when admitted, else the ms until the oldest
 * entry leaves the window. Atomic, so replicas share the count exactly.
 */
const TAKE = `
local key, now, window, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, window)
return 0`;

/**
 * Batch jobs per caller per minute (seed 000: 10), across every inference replica. Each attempt
 * that gets past authentication counts, refused uploads included: an upload costs as much to
 * receive whether or not it becomes a job.
 */
export class BatchRateLimit {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly perMinute: number,
  ) {}

  /** Throws 429 `rate_limited` (with Retry-After) once `owner` has started `perMinute` jobs in the last 60 s. */
  async take(owner: string, member: string, now = Date.now()): Promise<void> {
    const wait = Number(await this.redis.eval(TAKE, 1, `${this.prefix}:batch-rate:${owner}`, now, WINDOW_MS, this.perMinute, member));
    if (wait > 0) {
      throw new AppError('rate_limited', `At most ${this.perMinute} batch jobs per minute`, { limit: this.perMinute, window_s: 60 }, { 'Retry-After': String(Math.ceil(wait / 1000)) });
    }
  }
}
