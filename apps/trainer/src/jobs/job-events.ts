import type { Redis } from 'ioredis';
import { z } from 'zod';
import { TrainJobEvent } from '@inkwell/contracts';

/** A job's events outlive it a while, for late readers resuming with Last-Event-ID; the row stays the record. */
const TTL_S = 7 * 24 * 3600;
/** Long runs report many steps; the oldest are trimmed (approximately) past this many. */
const MAX_EVENTS = 20_000;

export interface StoredEvent {
  /** The Redis stream id: increasing, so it is the SSE `id:` that Last-Event-ID resumes after. */
  readonly id: string;
  readonly event: TrainJobEvent;
}

const XReadReply = z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), z.array(z.string())]))])).nullable();

/** Stream ids are `<ms>-<seq>`; anything else from a client starts from the beginning. */
export const STREAM_START = '0-0';
export const isStreamId = (s: string): boolean => /^\d{1,20}-\d{1,20}$/.test(s);

/**
 * Each training job's progress and status events, in a Redis stream per job: every trainer
 * process appends to it and every SSE reader (on any process) follows it, replaying from any
 * point.
 */
export class JobEvents {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(jobId: string): string {
    return `${this.prefix}:train-events:${jobId}`;
  }

  async append(jobId: string, event: TrainJobEvent): Promise<void> {
    const key = this.key(jobId);
    await this.redis.multi().xadd(key, 'MAXLEN', '~', String(MAX_EVENTS), '*', 'e', JSON.stringify(TrainJobEvent.parse(event))).expire(key, TTL_S).exec();
  }

  /**
   * Events after `after`; with `blockMs`, waits that long for the first one. Blocking needs a
   * connection of its own (`redis.duplicate()`), which nothing else uses meanwhile.
   */
  async read(conn: Redis, jobId: string, after: string, blockMs?: number): Promise<StoredEvent[]> {
    const key = this.key(jobId);
    const raw: unknown = blockMs === undefined ? await conn.xread('COUNT', 500, 'STREAMS', key, after) : await conn.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', key, after);
    const reply = XReadReply.parse(raw);
    const out: StoredEvent[] = [];
    for (const [, entries] of reply ?? []) {
      for (const [id, fields] of entries) {
        const at = fields.indexOf('e');
        const text = at >= 0 ? fields[at + 1] : undefined;
        if (text === undefined) continue;
        out.push({ id, event: TrainJobEvent.parse(JSON.parse(text)) });
      }
    }
    return out;
  }
}
