import { clientBucket } from '@inkwell/auth-guard';
import { AppError } from '@inkwell/contracts';
import type { RateDecision, SlidingWindowLimiter } from './sliding-window';

/** The budget of a client that is not (yet) anyone: its IP (an IPv6 client's /64), at the guest limit. */
export const clientSubject = (ip: string): string => `ip:${clientBucket(ip)}`;

export const rateLimitedError = (d: RateDecision): AppError =>
  new AppError('rate_limited', 'Rate limit exceeded', { limit: d.limit, reset_s: d.resetSeconds }, { 'Retry-After': String(d.resetSeconds) });

/**
 * What a client spends, from its guest budget, on work done before anyone knows who it is: each bad
 * API key or token. So guessing keys costs what a guest request costs, and a client at 429
 * costs auth nothing (the gateway asks auth about a key only while the client has budget left).
 */
export class ClientBudget {
  constructor(private readonly limiter: SlidingWindowLimiter, private readonly perWindow: number) {}

  /** Spends one unit; throws 429 `rate_limited` when there was none left. */
  async spend(ip: string): Promise<void> {
    const d = await this.limiter.hit(clientSubject(ip), this.perWindow);
    if (!d.allowed) throw rateLimitedError(d);
  }

  /** Throws 429 `rate_limited` when the client has nothing left to spend; spends nothing. */
  async assertLeft(ip: string): Promise<void> {
    const d = await this.limiter.peek(clientSubject(ip), this.perWindow);
    if (!d.allowed) throw rateLimitedError(d);
  }
}
