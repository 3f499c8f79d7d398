import { AuditEvent } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import type { Logger } from '@inkwell/logger';
import type { TypedQueue } from '@inkwell/queue';
import { claimUnsent, markFailed, markSent } from './outbox.store';

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

  /** Sends everything unsent; returns how many events were relayed. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.db.transaction(async (trx) => {
        const rows = await claimUnsent(trx, 'audit', 100);
        if (rows.length === 0) return 0;
        try {
          await Promise.all(
            rows.map((row) => {
              const event = AuditEvent.parse(row.payload);
              return this.auditQueue.add('audit.record', event, { request_id: event.request_id, actor_id: event.actor.id }, { jobId: event.id });
            }),
          );
        } catch (err) {
          await markFailed(this.db, rows.map((r) => r.id), err instanceof Error ? err.message : String(err));
          throw err;
        }
        await markSent(trx, rows.map((r) => r.id));
        return rows.length;
      });
      total += sent;
      if (sent < 100) return total;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
