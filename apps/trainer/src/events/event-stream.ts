import type { Redis } from 'ioredis';
import { z } from 'zod';

/** Events outlive their job a while, for late readers resuming with Last-Event-ID; the rows stay the record. */
const TTL_S = 7 * 24 * 3600;
/** Long runs report many steps; the oldest are trimmed (approximately) past this many. */
const MAX_EVENTS = 20_000;

export interface StoredEvent<E> {
  /** The Redis stream id: increasing, so it is the SSE `id:` that Last-Event-ID resumes after. */
  readonly id: string;
  readonly event: E;
}

const XReadReply = z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), z.array(z.string())]))])).nullable();

/** Stream ids are `<ms>-<seq>`; anything else from a client starts from the beginning. */
export const STREAM_START = '0-0';
export const isStreamId = (s: string): boolean => /^\d{1,20}-\d{1,20}$/.test(s);

/**
 * One Redis stream of events per job (a training job, a tuning study): every trainer process
 * appends to it and every SSE reader, on any process, follows it, replaying from any point.
 */
export class EventStream<E> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** The key's middle part, e.g. `train-events`. */
    private readonly kind: string,
    private readonly schema: z.ZodType<E>,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:${this.kind}:${id}`;
  }

  async append(id: string, event: E): Promise<void> {
    const key = this.key(id);
    await this.redis.multi().xadd(key, 'MAXLEN', '~', String(MAX_EVENTS), '*', 'e', JSON.stringify(this.schema.parse(event))).expire(key, TTL_S).exec();
  }

  /**
   * Events after `after`; with `blockMs`, waits that long for the first one. Blocking needs a
   * connection of its own (`redis.duplicate()`), which nothing else uses meanwhile.
   */
  async read(conn: Redis, id: string, after: string, blockMs?: number): Promise<StoredEvent<E>[]> {
    const key = this.key(id);
    const raw: unknown = blockMs === undefined ? await conn.xread('COUNT', 500, 'STREAMS', key, after) : await conn.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', key, after);
    const out: StoredEvent<E>[] = [];
    for (const [, entries] of XReadReply.parse(raw) ?? []) {
      for (const [eventId, fields] of entries) {
        const at = fields.indexOf('e');
        const text = at >= 0 ? fields[at + 1] : undefined;
        if (text !== undefined) out.push({ id: eventId, event: this.schema.parse(JSON.parse(text)) });
      }
    }
    return out;
  }
}
