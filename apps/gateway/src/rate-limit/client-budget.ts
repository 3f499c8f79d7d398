import { AppError } from '@inkwell/contracts';
import type { RateDecision, SlidingWindowLimiter } from './sliding-window';

/** The budget of a client that is not (yet) anyone: its IP, at the guest limit. */
export const clientSubject = (ip: string): string => `ip:${ip}`;

export const rateLimitedError = (d: RateDecision): AppError =>
  new AppError('rate_limited', 'Rate limit exceeded', { limit: d.limit, reset_s: d.resetSeconds }, { 'Retry-After': String(d.resetSeconds) });

/**
 * What a client spends, from its guest budget, on work done before anyone knows who it is: a bad
 * API key or token, and every API key the gateway has to ask auth about. So guessing keys costs
 * the same as any guest request, and a client at 429 costs auth nothing.
 */
export class ClientBudget {
  constructor(private readonly limiter: SlidingWindowLimiter, private readonly perWindow: number) {}

  /** Spends one unit; throws 429 `rate_limited` when there was none left. */
  async spend(ip: string): Promise<void> {
    const d = await this.limiter.hit(clientSubject(ip), this.perWindow);
    if (!d.allowed) throw rateLimitedError(d);
  }
}
