import type { Redis } from 'ioredis';
import { AppError } from '@inkwell/contracts';

export interface ThrottleSettings {
  readonly windowSeconds: number;
  readonly maxPerAccount: number;
  readonly maxPerIp: number;
}

/**
 * Failed sign-ins counted per account and per IP in fixed windows that start at the first failure.
 * A blocked account unblocks when its window ends, so an attacker can slow a real user down for at
 * most one window at a time but never lock them out for good; the per-IP limit stops one source
 * from spraying many accounts.
 */
export class LoginThrottle {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly s: ThrottleSettings) {}

  private keys(email: string, ip: string) {
    return { account: `${this.prefix}:auth:login-fail:acct:${email.toLowerCase()}`, ip: `${this.prefix}:auth:login-fail:ip:${ip}` };
  }

  /** Throws `rate_limited` with Retry-After when either counter is exhausted. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const k = this.keys(email, ip);
    const [[, acct], [, ipCount], [, acctTtl], [, ipTtl]] = (await this.redis.multi().get(k.account).get(k.ip).ttl(k.account).ttl(k.ip).exec()) as [
      [unknown, string | null], [unknown, string | null], [unknown, number], [unknown, number],
    ];
    const blockedFor = Math.max(
      Number(acct ?? 0) >= this.s.maxPerAccount ? acctTtl : 0,
      Number(ipCount ?? 0) >= this.s.maxPerIp ? ipTtl : 0,
    );
    if (blockedFor > 0) {
      throw new AppError('rate_limited', 'Too many failed sign-in attempts; try again later', { retry_after_s: blockedFor }, { 'Retry-After': String(blockedFor) });
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const k = this.keys(email, ip);
    await this.redis.multi().incr(k.account).expire(k.account, this.s.windowSeconds, 'NX').incr(k.ip).expire(k.ip, this.s.windowSeconds, 'NX').exec();
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.keys(email, '').account);
  }
}
