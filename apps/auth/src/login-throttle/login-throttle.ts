import type { Redis } from 'ioredis';
import { clientBucket } from '@inkwell/auth-guard';
import { AppError } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';

export interface ThrottleSettings {
  readonly windowSeconds: number;
  /** Failures one client may make on one account; also the account-wide count that makes it "hot". */
  readonly maxPerAccount: number;
  /** Failures one client may make on all accounts together. */
  readonly maxPerIp: number;
  /** On a hot account, clients that failed on it share one password check per this many seconds. */
  readonly slowIntervalSeconds: number;
}

/** Who is trying: the address it comes from, and the device id of a valid device cookie for the account. */
export interface ThrottleClient {
  readonly ip: string;
  readonly device: string | null;
}

/**
 * Reserves one attempt, or says how long the caller must wait. One script, so checking and counting
 * are one step: a parallel burst cannot all pass the check before any of it is counted.
 *
 * Hard limits (429 until the counter's window ends) are per (account, client) and per client: they
 * only ever stop the client that failed. The account-wide counter never refuses anyone by itself:
 * once it is full, a client that has failed on the account (its pair counter is not zero) must also
 * take the account's one "slow slot" per interval, while a client that has not failed passes
 * straight on. So an attacker cannot lock the owner out, and a spread-out attacker gets one check
 * per interval (plus one per fresh address) instead of the full speed of argon2.
 *
 * A browser with the account's device cookie (see device-cookie.ts) is a client of its own: its
 * pair counter is per device, not per address, and it neither counts against nor waits for the
 * address's limit or the account's slow slot. So not even a client that has failed on the account
 * (the owner who mistyped once) can be kept out by an attacker, as long as its browser signed in before.
 *
 * A counter at its limit blocks until its key expires (PTTL rounded up to at least a second, so a
 * window in its last moments still blocks); a window starts with the first attempt counted in it.
 * KEYS: pair counter, IP counter, account counter, account slow slot.
 * ARGV: max per pair, max per IP, window seconds, account hot at, slow interval ms, known device (1/0).
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
local known = ARGV[6] == '1'
local blocked = wait(KEYS[1], tonumber(ARGV[1]))
if not known then blocked = math.max(blocked, wait(KEYS[2], tonumber(ARGV[2]))) end
if blocked > 0 then return blocked end
local failed = tonumber(redis.call('GET', KEYS[1]) or '0')
local hot = tonumber(redis.call('GET', KEYS[3]) or '0') >= tonumber(ARGV[4])
if not known and failed > 0 and hot and not redis.call('SET', KEYS[4], '1', 'PX', ARGV[5], 'NX') then
  return math.max(1, math.ceil(redis.call('PTTL', KEYS[4]) / 1000))
end
for i = 1, 3 do
  if i ~= 2 or not known then
    redis.call('INCR', KEYS[i])
    redis.call('EXPIRE', KEYS[i], ARGV[3], 'NX')
  end
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
 * Failed sign-ins (and wrong current passwords on a password change) counted per (account, client),
 * per client and per account, in fixed windows that start at the first failure. See RESERVE for
 * what each counter may refuse; in short, only the client that failed is ever refused.
 *
 * Every attempt reserves its place before the (slow) password check and counts as a failure unless
 * it succeeds; a success gives its reservation back. So however many guesses arrive at once, at
 * most the limits are ever checked.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly s: ThrottleSettings,
    private readonly logger?: Logger,
  ) {}

  private keys(email: string, client: ThrottleClient) {
    const account = email.toLowerCase();
    const ip = clientBucket(client.ip); // an IPv6 client's whole /64 is one client
    const base = `${this.prefix}:auth:login-fail`;
    const pair = client.device ? `${base}:pair:${account}:dev:${client.device}` : `${base}:pair:${account}:${ip}`;
    return { pair, ip: `${base}:ip:${ip}`, account: `${base}:acct:${account}`, slow: `${base}:slow:${account}` };
  }

  /** The counters an attempt of this client reserved (a known device does not count against its address). */
  private counted(k: ReturnType<LoginThrottle['keys']>, client: ThrottleClient): string[] {
    return client.device ? [k.pair, k.account] : [k.pair, k.ip, k.account];
  }

  /** Reserves this attempt; throws `rate_limited` with Retry-After (and counts nothing) when the client must wait. */
  async assertAllowed(email: string, client: ThrottleClient): Promise<void> {
    const k = this.keys(email, client);
    const s = this.s;
    const blockedFor = Number(await this.redis.eval(RESERVE, 4, k.pair, k.ip, k.account, k.slow, s.maxPerAccount, s.maxPerIp, s.windowSeconds, s.maxPerAccount, s.slowIntervalSeconds * 1000, client.device ? 1 : 0));
    if (blockedFor > 0) {
      throw new AppError('rate_limited', 'Too many failed sign-in attempts; try again later', { retry_after_s: blockedFor }, { 'Retry-After': String(blockedFor) });
    }
  }

  /**
   * A success clears this client's failures on the account and gives back its reservations, so
   * successful sign-ins never use up a limit. The account-wide count stays: other clients may still
   * be guessing. Best effort: the sign-in has already happened, so a Redis failure is logged, not answered.
   */
  async recordSuccess(email: string, client: ThrottleClient): Promise<void> {
    const k = this.keys(email, client);
    const others = this.counted(k, client).slice(1);
    await this.redis
      .multi()
      .del(k.pair)
      .eval(RELEASE, others.length, ...others)
      .exec()
      .catch((err: unknown) => this.logger?.warn({ err }, 'could not clear sign-in failures after a success'));
  }

  /**
   * Gives back the reservations of an attempt that ended in an error of ours (database, Redis,
   * hashing), not a wrong credential: only wrong credentials count against the limits. Best effort.
   */
  async release(email: string, client: ThrottleClient): Promise<void> {
    const counted = this.counted(this.keys(email, client), client);
    await this.redis.eval(RELEASE, counted.length, ...counted).catch((err: unknown) => this.logger?.warn({ err }, 'could not give back a sign-in reservation'));
  }
}
