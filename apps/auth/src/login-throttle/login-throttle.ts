import type { Redis } from 'ioredis';
import { AppError } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';

export interface ThrottleSettings {
  readonly windowSeconds: number;
  readonly maxPerAccount: number;
  readonly maxPerIp: number;
}

/**
 * Reserves one attempt on both counters, or says how long the caller must wait. One script, so
 * checking and counting are one step: a parallel burst cannot all pass the check before any of it
 * is counted. A counter at its limit blocks until its key expires (PTTL rounded up to at least a
 * second, so a window in its last moments still blocks); a window starts with the first attempt
 * counted in it.
 * KEYS: account counter, IP counter. ARGV: max per account, max per IP, window seconds.
 * Returns 0 when reserved, else the seconds to wait.
 */
const RESERVE = `
local function wait(key, max)
  local n = tonumber(redis.call('GET', key) or '0')
  if n < max then return 0 end
  local ms = redis.call('PTTL', key)
  if ms < 0 then
    redis.call('EXPIRE', key, ARGV[3])
    ms = tonumber(ARGV[3]) * 1000
  end
  return math.max(1, math.ceil(ms / 1000))
end
local blocked = math.max(wait(KEYS[1], tonumber(ARGV[1])), wait(KEYS[2], tonumber(ARGV[2])))
if blocked > 0 then return blocked end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[3], 'NX')
end
return 0
`;

/** Gives back a reservation on each counter named; one that falls to zero is removed so the next failure starts a new window. */
const RELEASE = `
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 and redis.call('DECR', key) <= 0 then redis.call('DEL', key) end
end
return 0
`;

/**
 * Failed sign-ins counted per account and per IP in fixed windows that start at the first failure.
 * A blocked account unblocks when its window ends, so an attacker can slow a real user down for at
 * most one window at a time but never lock them out for good; the per-IP limit stops one source
 * from spraying many accounts.
 *
 * Every attempt reserves its place on both counters before the (slow) password check and counts as
 * a failure unless it succeeds; a success gives its reservation back. So however many guesses
 * arrive at once, at most the limit are ever checked.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly s: ThrottleSettings,
    private readonly logger?: Logger,
  ) {}

  private keys(email: string, ip: string) {
    return { account: `${this.prefix}:auth:login-fail:acct:${email.toLowerCase()}`, ip: `${this.prefix}:auth:login-fail:ip:${ip}` };
  }

  /**
   * Reserves this attempt on the account's and the IP's counters; throws `rate_limited` with
   * Retry-After (and counts nothing) when either is exhausted.
   */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const k = this.keys(email, ip);
    const blockedFor = Number(await this.redis.eval(RESERVE, 2, k.account, k.ip, this.s.maxPerAccount, this.s.maxPerIp, this.s.windowSeconds));
    if (blockedFor > 0) {
      throw new AppError('rate_limited', 'Too many failed sign-in attempts; try again later', { retry_after_s: blockedFor }, { 'Retry-After': String(blockedFor) });
    }
  }

  /**
   * A success clears the account's failures and gives back the IP's reservation, so successful
   * sign-ins never use up either limit. Best effort: the sign-in has already happened, so a Redis
   * failure here is logged, not answered.
   */
  async recordSuccess(email: string, ip: string): Promise<void> {
    const k = this.keys(email, ip);
    await this.redis
      .multi()
      .del(k.account)
      .eval(RELEASE, 1, k.ip)
      .exec()
      .catch((err: unknown) => this.logger?.warn({ err }, 'could not clear sign-in failures after a success'));
  }

  /**
   * Gives back both reservations of an attempt that ended in an error of ours (database, Redis,
   * hashing), not a wrong credential: only wrong credentials count against the limits. Best effort.
   */
  async release(email: string, ip: string): Promise<void> {
    const k = this.keys(email, ip);
    await this.redis.eval(RELEASE, 2, k.account, k.ip).catch((err: unknown) => this.logger?.warn({ err }, 'could not give back a sign-in reservation'));
  }
}
