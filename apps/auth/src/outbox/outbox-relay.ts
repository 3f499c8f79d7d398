import { AuditEvent } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import type { Logger } from '@inkwell/logger';
import type { TypedQueue } from '@inkwell/queue';
import { claimUnsent, markFailed, markSent } from './outbox.store';

const BATCH = 100;

/** Rejects when `work` has not settled in `ms`; the work itself runs on (a late add is harmless: same job id). */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the audit queue did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Moves audit events from the outbox to the `audit` queue. The job id is the event id, so a
 * relay that crashes after adding but before marking re-adds the same job, which BullMQ ignores.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly auditQueue: TypedQueue<'audit'>,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    /** A queue that neither accepts nor refuses (Redis stalled) must not hold the rows' locks for long. */
    private readonly addTimeoutMs = 5000,
  ) {}

  start(): void {
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
        .catch((err: unknown) => this.logger.warn({ err }, 'outbox relay pass failed; will retry'))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule(this.intervalMs);
        });
    }, delay);
  }

  /** Sends everything unsent; returns how many events were relayed. Rejects when the queue fails. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const pass = await this.db.transaction(async (trx): Promise<{ sent: number; failure?: Error }> => {
        const rows = await claimUnsent(trx, 'audit', BATCH);
        if (rows.length === 0) return { sent: 0 };
        const ids = rows.map((r) => r.id);
        try {
          await withTimeout(
            Promise.all(
              rows.map((row) => {
                const event = AuditEvent.parse(row.payload);
                return this.auditQueue.add('audit.record', event, { request_id: event.request_id, actor_id: event.actor.id }, { jobId: event.id });
              }),
            ),
            this.addTimeoutMs,
          );
        } catch (err) {
          // Recorded in this transaction, which holds the rows' locks: from another connection the
          // update would wait for this transaction, and this transaction for it, forever.
          const failure = err instanceof Error ? err : new Error(String(err));
          await markFailed(trx, ids, failure.message);
          return { sent: 0, failure };
        }
        await markSent(trx, ids);
        return { sent: rows.length };
      });
      if (pass.failure) throw pass.failure;
      total += pass.sent;
      if (pass.sent < BATCH) return total;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
