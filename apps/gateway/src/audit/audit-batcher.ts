import type { Logger } from '@inkwell/logger';
import { AuditEvent } from '@inkwell/contracts';
import type { Envelope, TypedQueue } from '@inkwell/queue';

export interface AuditBatcherOptions {
  /** How often buffered events go to the `audit` queue (one Redis round trip per flush). */
  readonly flushMs: number;
  /** Events held while Redis refuses them; past this the oldest are dropped (and logged). */
  readonly maxBuffered: number;
}

interface BufferedJob {
  readonly name: 'audit.record';
  readonly data: Envelope;
  readonly opts: { readonly jobId: string };
}

/**
 * The gateway's path to the audit log. The gateway owns no database, and giving it one (schema,
 * migrations, an outbox insert per request) would put a PostgreSQL write on every proxied call.
 * Instead each API call's event is checked and pushed into memory (no I/O on the request path) and
 * the buffer is added to the `audit` queue in one `addBulk` every `flushMs`, job id = event id, so
 * a retried flush never stores an event twice. Redis is the durable store from there on (AOF,
 * noeviction); events buffered while Redis is down are kept and retried, up to `maxBuffered`.
 * What this gives up against an outbox: a gateway killed without its shutdown hook loses what it
 * holds: one interval of events while Redis answers, up to `maxBuffered` while Redis is down (a
 * graceful stop flushes once). Sign-ins, key changes and other state changes keep their
 * transactional outbox in the service that makes them.
 *
 * Every event pushed is sent, still held, or counted as dropped (logged): an invalid one at
 * `push`, so it can never block the batch it would share; the oldest when the buffer is full.
 */
export class AuditBatcher {
  /** Oldest first; the first `inFlight` are being sent by the flush in progress. */
  private buffer: BufferedJob[] = [];
  private inFlight = 0;
  /** Evicted while their flush was in flight: dropped if it fails, delivered if it succeeds. */
  private evictedInFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Dropped since the last flush logged them. */
  private dropped = 0;
  private droppedSinceStart = 0;

  constructor(
    private readonly queue: TypedQueue<'audit'>,
    private readonly logger: Logger,
    private readonly opts: AuditBatcherOptions,
  ) {}

  push(event: AuditEvent): void {
    const parsed = AuditEvent.safeParse(event);
    if (!parsed.success) {
      this.logger.error({ event_id: event.id, issues: parsed.error.issues }, 'invalid API-call audit event dropped');
      this.count(1);
      return;
    }
    const e = parsed.data;
    this.buffer.push({ name: 'audit.record', data: { payload: e, meta: { request_id: e.request_id, actor_id: e.actor.id } }, opts: { jobId: e.id } });
    if (this.buffer.length <= this.opts.maxBuffered) return;
    this.buffer.shift();
    if (this.inFlight > 0) {
      this.inFlight--;
      this.evictedInFlight++;
    } else this.count(1);
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Events dropped (invalid, or evicted from a full buffer and never sent) since this batcher was made. */
  get droppedTotal(): number {
    return this.droppedSinceStart;
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
    if (this.dropped > 0) this.logger.error({ dropped: this.dropped }, 'API-call audit events dropped: the buffer was full while Redis refused them');
    if (this.buffer.length > 0) this.logger.error({ events: this.buffer.length }, 'gateway stopped with API-call audit events unsent');
  }

  /** Sends the buffer; concurrent calls queue behind each other. Never rejects. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  private count(n: number): void {
    this.dropped += n;
    this.droppedSinceStart += n;
  }

  private async flushNow(): Promise<void> {
    if (this.dropped > 0) {
      this.logger.error({ dropped: this.dropped }, 'API-call audit events dropped: the buffer was full while Redis refused them');
      this.dropped = 0;
    }
    if (this.buffer.length === 0) return;
    // Sent as they stand; `push` may evict from the front meanwhile, so the sent ones are counted, not swapped out.
    this.inFlight = this.buffer.length;
    try {
      await this.queue.queue.addBulk(this.buffer.slice(0, this.inFlight));
      this.buffer.splice(0, this.inFlight);
    } catch (err) {
      this.logger.warn({ err, events: this.inFlight }, 'API-call audit events not queued; keeping them for the next flush');
      this.count(this.evictedInFlight);
    } finally {
      this.inFlight = 0;
      this.evictedInFlight = 0;
    }
  }
}
