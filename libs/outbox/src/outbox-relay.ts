import type { Db } from '@inkwell/db';
import type { Logger } from '@inkwell/logger';
import { leaseDue, markFailed, markSent, type OutboxRow } from './outbox.store';
import { isOutboxTopic, OUTBOX_TOPICS, type OutboxTopic } from './outbox-topics';
import { DEFAULT_RETRY_BACKOFF, retryDelayMs, type RetryBackoff } from './retry-backoff';
import type { TopicHandler, TopicHandlers, TopicOff } from './topic-handler';

export interface OutboxRelayOptions {
  readonly db: Db;
  readonly logger: Logger;
  readonly handlers: TopicHandlers;
  /** How often to look for due rows when nobody kicks (retries become due on their own). */
  readonly intervalMs?: number;
  readonly batchSize?: number;
  /** Rows delivered at once within a batch (SMTP connections, queue adds). */
  readonly concurrency?: number;
  /** A delivery that neither succeeds nor fails (Redis stalled, SMTP silent) counts as failed after this. */
  readonly deliverTimeoutMs?: number;
  readonly backoff?: RetryBackoff;
}

export interface DrainResult {
  readonly sent: number;
  readonly failed: number;
}

type AnyHandler = TopicHandler<OutboxTopic>;
const isOff = (h: TopicHandler<never> | TopicOff): h is TopicOff => 'off' in h;

/**
 * Runs `work` with a signal that aborts after `ms`, and rejects then even if the work does not
 * listen to the signal (that work runs on; see TopicHandler.deliver).
 */
function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`delivery did not finish within ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  return Promise.race([work(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Delivers outbox rows to their topic's handler and marks them sent. Rows are leased oldest first
 * (see leaseDue: no transaction is held while delivering), so several relays (replicas) share the
 * work; a row that fails is retried after an exponential backoff (`next_attempt_at`) while the rows
 * behind it go on.
 */
export class OutboxRelay {
  private readonly handlers = new Map<OutboxTopic, AnyHandler>();
  private readonly off: [OutboxTopic, string][] = [];
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly deliverTimeoutMs: number;
  private readonly backoff: RetryBackoff;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private offLogged = false;

  constructor(private readonly opts: OutboxRelayOptions) {
    for (const [topic, handler] of Object.entries(opts.handlers) as [string, TopicHandler<never> | TopicOff | undefined][]) {
      if (!handler || !isOutboxTopic(topic)) continue;
      if (isOff(handler)) this.off.push([topic, handler.off]);
      else this.handlers.set(topic, handler as AnyHandler);
    }
    this.intervalMs = opts.intervalMs ?? 1000;
    this.batchSize = opts.batchSize ?? 100;
    this.concurrency = opts.concurrency ?? 10;
    this.deliverTimeoutMs = opts.deliverTimeoutMs ?? 10_000;
    this.backoff = opts.backoff ?? DEFAULT_RETRY_BACKOFF;
  }

  start(): void {
    if (!this.offLogged) {
      for (const [topic, why] of this.off) this.opts.logger.warn({ topic }, `outbox delivery of ${topic} is off (${why}): its rows stay recorded, unsent`);
      this.offLogged = true;
    }
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs a pass soon (after a write) instead of waiting for the interval. */
  kick(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .then(() => undefined)
        .catch((err: unknown) => this.opts.logger.warn({ err }, 'outbox relay pass failed; will retry'))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule(this.intervalMs);
        });
    }, delay);
  }

  /**
   * Delivers every due row. Failed rows are recorded with their next attempt and counted, not
   * thrown; the pass rejects only when the database does.
   */
  async drain(): Promise<DrainResult> {
    const topics = [...this.handlers.keys()];
    let sent = 0;
    let failed = 0;
    for (;;) {
      // Long enough for the whole batch to be delivered (chunks of `concurrency`, each bounded by
      // the delivery timeout), so no other relay takes a row while this one is still on it.
      const leaseMs = this.deliverTimeoutMs * (Math.ceil(this.batchSize / this.concurrency) + 1);
      const rows = await leaseDue(this.opts.db, topics, this.batchSize, leaseMs);
      const failures: { id: string; error: string; delayMs: number }[] = [];
      const delivered: string[] = [];
      for (let i = 0; i < rows.length; i += this.concurrency) {
        const chunk = rows.slice(i, i + this.concurrency);
        const outcomes = await Promise.allSettled(chunk.map((row) => this.deliver(row)));
        outcomes.forEach((o, j) => {
          const row = chunk[j];
          if (!row) return;
          if (o.status === 'fulfilled') return delivered.push(row.id);
          const error = o.reason instanceof Error ? o.reason.message : String(o.reason);
          const delayMs = retryDelayMs(row.attempts, this.backoff);
          this.opts.logger.warn({ outbox_id: row.id, topic: row.topic, attempts: row.attempts + 1, retry_in_ms: delayMs, err: o.reason as unknown }, 'outbox delivery failed; will retry');
          failures.push({ id: row.id, error, delayMs });
        });
      }
      await markSent(this.opts.db, delivered);
      for (const f of failures) await markFailed(this.opts.db, f.id, f.error, f.delayMs);
      const pass = { claimed: rows.length, sent: delivered.length, failed: failures.length };
      sent += pass.sent;
      failed += pass.failed;
      // Failed rows are not due again this pass, so a full batch of failures cannot spin here.
      if (pass.claimed < this.batchSize || pass.sent === 0) return { sent, failed };
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const topic = row.topic as OutboxTopic;
    const handler = this.handlers.get(topic);
    if (!handler) throw new Error(`no handler for topic ${row.topic}`);
    const payload = OUTBOX_TOPICS[topic].parse(row.payload);
    await withTimeout((signal) => handler.deliver(payload, row.id, signal), this.deliverTimeoutMs);
  }

  /** Stops polling, waits for the pass under way, and closes the handlers' connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.handlers.values()].map((h) => h.close?.()));
  }
}
