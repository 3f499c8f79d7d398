import type { Logger } from '@inkwell/logger';
import { AuditEvent, JobMeta } from '@inkwell/contracts';
import type { Envelope, TypedQueue } from '@inkwell/queue';

export interface AuditBatcherOptions {
  /** How often buffered events go to the `audit` queue (one Redis round trip per flush). */
  readonly flushMs: number;
  /** Events held while Redis refuses them; past this the oldest are dropped (and logged). */
  readonly maxBuffered: number;
}

/**
 * The gateway's path to the audit log. The gateway owns no database, and giving it one (schema,
 * migrations, an outbox insert per request) would put a PostgreSQL write on every proxied call.
 * Instead each API call's event is pushed into memory (no I/O on the request path) and the buffer
 * is added to the `audit` queue in one `addBulk` every `flushMs`, job id = event id, so a retried
 * flush never stores an event twice. Redis is the durable store from there on (AOF, noeviction);
 * events buffered while Redis is down are kept and retried, up to `maxBuffered`. What this gives
 * up against an outbox: a gateway killed without its shutdown hook loses at most one interval of
 * API-call events (a graceful stop flushes). Sign-ins, key changes and other state changes keep
 * their transactional outbox in the service that makes them.
 */
export class AuditBatcher {
  private buffer: AuditEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(
    private readonly queue: TypedQueue<'audit'>,
    private readonly logger: Logger,
    private readonly opts: AuditBatcherOptions,
  ) {}

  push(event: AuditEvent): void {
    this.buffer.push(event);
    if (this.buffer.length > this.opts.maxBuffered) {
      this.buffer.shift();
      this.dropped++;
    }
  }

  get pending(): number {
    return this.buffer.length;
  }

  start(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.flush(), this.opts.flushMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is left (once; a Redis still down then loses those events, logged). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    if (this.buffer.length > 0) this.logger.error({ events: this.buffer.length }, 'gateway stopped with API-call audit events unsent');
  }

  /** Sends the buffer; concurrent calls queue behind each other. Never rejects. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    if (this.dropped > 0) {
      this.logger.error({ dropped: this.dropped }, 'API-call audit events dropped: the buffer was full while Redis refused them');
      this.dropped = 0;
    }
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    try {
      await this.queue.queue.addBulk(
        batch.map((event) => {
          const data: Envelope = { payload: AuditEvent.parse(event), meta: JobMeta.parse({ request_id: event.request_id, actor_id: event.actor.id }) };
          return { name: 'audit.record', data, opts: { jobId: event.id } };
        }),
      );
    } catch (err) {
      this.logger.warn({ err, events: batch.length }, 'API-call audit events not queued; keeping them for the next flush');
      // Older events first, then whatever arrived meanwhile, still bounded.
      this.buffer = [...batch, ...this.buffer].slice(-this.opts.maxBuffered);
    }
  }
}
