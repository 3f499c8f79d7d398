import type { Logger } from '@inkwell/logger';
import type { UsageRow, UsageStore } from './usage.store';

/** Upper bounds (ms) of the latency buckets; a last `inf` bucket takes the rest. */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

/**
 * Counts requests in memory and writes them in batches (one upsert every `flushMs` and at
 * shutdown), so the hot path never waits on PostgreSQL. Counts whose write failed are kept for
 * the next flush.
 */
export class UsageRecorder {
  private counts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: UsageStore,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `code` is 'ok' for a success, else the error code answered. */
  record(route: string, code: string, latencyMs: number): void {
    const day = this.now().toISOString().slice(0, 10);
    const bucket = LATENCY_BUCKETS_MS.find((b) => latencyMs <= b);
    this.bump(day, route, 'requests', '');
    this.bump(day, route, code === 'ok' ? 'successes' : 'errors', code === 'ok' ? '' : code);
    this.bump(day, route, 'latency_ms_le', bucket === undefined ? 'inf' : String(bucket));
    this.bump(day, route, 'latency_ms_sum', '', Math.round(latencyMs));
  }

  start(flushMs: number): void {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Writes what has accumulated; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    if (this.counts.size === 0) return;
    const batch = this.counts;
    this.counts = new Map();
    const rows: UsageRow[] = [...batch].map(([k, count]) => {
      const [day = '', route = '', metric = '', key = ''] = k.split('\u0000');
      return { day, route, metric, key, count };
    });
    try {
      await this.store.add(rows);
    } catch (err) {
      this.logger.warn({ err, rows: rows.length }, 'usage counters not written; keeping them for the next flush');
      for (const [k, n] of batch) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
    }
  }

  private bump(day: string, route: string, metric: string, key: string, by = 1): void {
    const k = [day, route, metric, key].join('\u0000');
    this.counts.set(k, (this.counts.get(k) ?? 0) + by);
  }
}
