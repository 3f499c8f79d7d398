import { AppError } from '@inkwell/contracts';

/** Sign-ins go before everything else that hashes (password changes, user creation). */
export type Argon2Priority = 'sign-in' | 'other';

export interface Argon2PoolSettings {
  /** argon2 runs at once: more only queue in libuv's threadpool and slow every one down. */
  readonly concurrency: number;
  /** Waiting runs (both priorities); one more is refused at once instead of waiting. */
  readonly queueMax: number;
}

/**
 * A semaphore in front of argon2 (each run: ~19 MiB and tens of ms of a core). Without it, a flood
 * of password checks queues unboundedly in the threadpool and every sign-in waits behind it. Here
 * work beyond `concurrency` waits in two queues, sign-ins first, and beyond `queueMax` waiting runs
 * the caller gets 503 at once.
 */
export class Argon2Pool {
  private running = 0;
  private readonly waiting: Record<Argon2Priority, (() => void)[]> = { 'sign-in': [], other: [] };

  constructor(private readonly s: Argon2PoolSettings) {}

  get queued(): number {
    return this.waiting['sign-in'].length + this.waiting.other.length;
  }

  async run<T>(priority: Argon2Priority, work: () => Promise<T>): Promise<T> {
    await this.acquire(priority);
    try {
      return await work();
    } finally {
      this.releaseSlot();
    }
  }

  private acquire(priority: Argon2Priority): Promise<void> {
    if (this.running < this.s.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.queued >= this.s.queueMax) {
      return Promise.reject(new AppError('service_unavailable', 'Too many password checks at once; try again shortly', { retry_after_s: 1 }, { 'Retry-After': '1' }));
    }
    // The slot passes straight from the run that ends to the one that waited: `running` stays counted.
    return new Promise<void>((resolve) => this.waiting[priority].push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiting['sign-in'].shift() ?? this.waiting.other.shift();
    if (next) next();
    else this.running--;
  }
}
