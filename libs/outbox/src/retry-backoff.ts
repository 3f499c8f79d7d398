export interface RetryBackoff {
  /** The wait after the first failure; doubles with each further one. */
  readonly baseMs: number;
  /** The longest wait, so a row failing for a day is still tried every so often. */
  readonly maxMs: number;
}

export const DEFAULT_RETRY_BACKOFF: RetryBackoff = { baseMs: 1000, maxMs: 15 * 60_000 };

/** How long to wait after the failure that brings a row to `attempts + 1` failures. */
export const retryDelayMs = (attempts: number, b: RetryBackoff): number => Math.min(b.maxMs, b.baseMs * 2 ** Math.min(attempts, 30));
