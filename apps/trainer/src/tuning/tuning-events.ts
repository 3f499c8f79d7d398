import type { Redis } from 'ioredis';
import { z } from 'zod';
import { TuningEvent } from '@inkwell/contracts';

/** A study's events outlive it a while, for late readers resuming with Last-Event-ID; the rows stay the record. */
const TTL_S = 7 * 24 * 3600;
const MAX_EVENTS = 20_000;

export interface StoredTuningEvent {
  readonly id: string;
  readonly event: TuningEvent;
}

const XReadReply = z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), z.array(z.string())]))])).nullable();

/**
 * Each study's events (a trial queued, running, each epoch, finished; a new best; the final
 * status) in a Redis stream per study, like the training jobs' (../jobs/job-events.ts): every
 * trainer process appends, any SSE reader follows.
 */
export class TuningEvents {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:tuning-events:${id}`;
  }

  async append(id: string, event: TuningEvent): Promise<void> {
    const key = this.key(id);
    await this.redis.multi().xadd(key, 'MAXLEN', '~', String(MAX_EVENTS), '*', 'e', JSON.stringify(TuningEvent.parse(event))).expire(key, TTL_S).exec();
  }

  /** Events after `after`; with `blockMs`, waits that long for the first one (on a connection of its own). */
  async read(conn: Redis, id: string, after: string, blockMs?: number): Promise<StoredTuningEvent[]> {
    const key = this.key(id);
    const raw: unknown = blockMs === undefined ? await conn.xread('COUNT', 500, 'STREAMS', key, after) : await conn.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', key, after);
    const out: StoredTuningEvent[] = [];
    for (const [, entries] of XReadReply.parse(raw) ?? []) {
      for (const [eventId, fields] of entries) {
        const at = fields.indexOf('e');
        const text = at >= 0 ? fields[at + 1] : undefined;
        if (text !== undefined) out.push({ id: eventId, event: TuningEvent.parse(JSON.parse(text)) });
      }
    }
    return out;
  }
}
