import { randomUUID } from 'node:crypto';
import type { AuditEvent, Identity, PredictionAggregate } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import type { Logger } from '@inkwell/logger';
import { enqueue } from '@inkwell/outbox';
import type { ModelSet } from '../models/active-set';

/** Who a batch job belongs to (its row's owner), the actor its reads are counted for. */
export interface BatchOwner {
  readonly kind: 'user' | 'api_key';
  readonly id: string;
}

/** The route batch reads are counted under in `inference.predictions` events. */
export const BATCH_ROUTE = 'batch';

interface Bucket {
  readonly minute: number;
  readonly actor: AuditEvent['actor'];
  readonly ip: string | null;
  readonly route: string;
  requests: number;
  successes: number;
  readonly errors: Record<string, number>;
}

/**
 * Inference's audit events. Reads are not audited one by one (thousands a second would swamp the
 * log): each is counted in memory by (minute, caller, route), and once a minute has passed its
 * counts become one `inference.predictions` event per caller and route, written to this
 * service's outbox in one transaction (the relay takes them to the `audit` queue). Guests are
 * one caller per IP. A model swap is one `inference.model_swap` event. A failed write keeps the
 * counts for the next flush; a crash loses at most the unflushed minutes' counts (the usage
 * counters and Prometheus still have them).
 */
export class PredictionAudit {
  private buckets = new Map<string, Bucket>();
  private swaps: AuditEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    /** Called after events were written (the outbox relay's kick). */
    private readonly written: () => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
    /** The aggregation window: a minute; a divisor of it in tests that cannot wait a minute. */
    private readonly windowMs = 60_000,
  ) {}

  /** One read: `outcome` is 'ok' or the error code answered. `identity` is absent only when the gateway's was not checked. */
  record(identity: Identity | undefined, route: string, outcome: string): void {
    const actor: AuditEvent['actor'] = identity ? { kind: identity.kind, id: identity.sub, email: identity.email, role: identity.role } : { kind: 'guest', id: null, email: null, role: null };
    const b = this.bucket(actor, identity?.ip ?? null, route);
    b.requests++;
    if (outcome === 'ok') b.successes++;
    else b.errors[outcome] = (b.errors[outcome] ?? 0) + 1;
  }

  /**
   * A committed chunk of a batch job: its newly read images, counted for the job's owner under the
   * route `batch` (the admin statistics count every route but the single-image ones as batch).
   */
  recordBatch(owner: BatchOwner, ok: number, errors: Readonly<Record<string, number>>): void {
    const failed = Object.values(errors).reduce((a, n) => a + n, 0);
    if (ok + failed === 0) return;
    const b = this.bucket({ kind: owner.kind, id: owner.id, email: null, role: null }, null, BATCH_ROUTE);
    b.requests += ok + failed;
    b.successes += ok;
    for (const [code, n] of Object.entries(errors)) b.errors[code] = (b.errors[code] ?? 0) + n;
  }

  private bucket(actor: AuditEvent['actor'], ip: string | null, route: string): Bucket {
    const minute = Math.floor(this.now().getTime() / this.windowMs) * this.windowMs;
    const who = actor.kind === 'guest' ? `guest:${ip ?? ''}` : `${actor.kind}:${actor.id ?? ''}`;
    const key = `${minute}\u0000${who}\u0000${route}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { minute, actor, ip, route, requests: 0, successes: 0, errors: {} };
      this.buckets.set(key, b);
    }
    return b;
  }

  modelSwapped(next: ModelSet, previous: ModelSet | null): void {
    this.swaps.push({
      id: randomUUID(),
      at: this.now().toISOString(),
      service: 'inference',
      action: 'inference.model_swap',
      outcome: 'success',
      actor: { kind: 'system', id: null, email: null, role: null },
      target: { type: 'model_set', id: next.modelId },
      ip: null,
      user_agent: null,
      request_id: null,
      details: { model_id: next.modelId, models: next.manifests.map((m) => m.model_id), providers: [...next.providers], engine: next.engine, previous_model_id: previous?.modelId ?? null },
    });
    void this.flush();
  }

  start(flushMs: number): void {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  /** Writes everything, the minute under way included (shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush({ openMinute: true });
  }

  /** Writes the minutes that have ended (all, with `openMinute`) and pending swaps; never rejects. */
  flush(opts: { openMinute?: boolean } = {}): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow(opts.openMinute === true));
    return this.flushing;
  }

  private async flushNow(openMinute: boolean): Promise<void> {
    const current = Math.floor(this.now().getTime() / this.windowMs) * this.windowMs;
    const due = [...this.buckets].filter(([, b]) => openMinute || b.minute < current);
    const swaps = this.swaps;
    if (due.length === 0 && swaps.length === 0) return;
    for (const [k] of due) this.buckets.delete(k);
    this.swaps = [];
    const events = [...swaps, ...due.map(([, b]) => this.aggregateEvent(b))];
    try {
      await this.db.transaction(async (trx) => {
        for (const e of events) await enqueue(trx, 'audit', e, e.id);
      });
      this.written();
    } catch (err) {
      this.logger.warn({ err, events: events.length }, 'inference audit events not written; keeping them for the next flush');
      this.swaps = [...swaps, ...this.swaps];
      for (const [k, b] of due) {
        const later = this.buckets.get(k);
        if (!later) this.buckets.set(k, b);
        else {
          later.requests += b.requests;
          later.successes += b.successes;
          for (const [code, n] of Object.entries(b.errors)) later.errors[code] = (later.errors[code] ?? 0) + n;
        }
      }
    }
  }

  private aggregateEvent(b: Bucket): AuditEvent {
    const details: PredictionAggregate = { minute: new Date(b.minute).toISOString(), route: b.route, requests: b.requests, successes: b.successes, errors: b.errors, window_s: this.windowMs / 1000 };
    return {
      id: randomUUID(),
      // The minute's start: the audit log files the counts under the minute they happened in.
      at: details.minute,
      service: 'inference',
      action: 'inference.predictions',
      outcome: b.successes === b.requests ? 'success' : 'failure',
      actor: b.actor,
      target: { type: 'route', id: b.route },
      ip: b.ip,
      user_agent: null,
      request_id: null,
      details,
    };
  }
}
