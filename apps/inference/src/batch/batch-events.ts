import type { Redis } from 'ioredis';
import { z } from 'zod';
import { BatchJobStatus, BatchRunProgress } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';

/**
 * What a batch worker announces after each checkpoint and when the job ends: the counts and the
 * status the job row now holds. Any inference process's SSE route may be following the job, so it
 * goes through Redis pub/sub. A notice is only a nudge: the row is the record, and a reader that
 * missed notices (subscribed late, reconnected) reads the row again.
 */
export const BatchNotice = BatchRunProgress.extend({ job_id: z.uuid(), status: BatchJobStatus });
export type BatchNotice = z.infer<typeof BatchNotice>;

export const batchEventsChannel = (prefix: string, jobId: string): string => `${prefix}:batch-events:${jobId}`;

export async function publishBatchNotice(redis: Redis, prefix: string, notice: BatchNotice): Promise<void> {
  await redis.publish(batchEventsChannel(prefix, notice.job_id), JSON.stringify(BatchNotice.parse(notice)));
}

/**
 * Calls `onNotice` for each notice about `jobId` until the returned function is called. Needs a
 * connection of its own (a subscribed connection can do nothing else): pass `redis.duplicate()`;
 * it is closed on unsubscribe.
 */
export async function subscribeBatchNotices(subscriber: Redis, prefix: string, jobId: string, onNotice: (notice: BatchNotice) => void, logger: Logger): Promise<() => void> {
  const channel = batchEventsChannel(prefix, jobId);
  const onMessage = (ch: string, message: string): void => {
    if (ch !== channel) return;
    let raw: unknown = null;
    try {
      raw = JSON.parse(message);
    } catch {
      // not JSON: reported below as malformed
    }
    const parsed = BatchNotice.safeParse(raw);
    if (parsed.success) onNotice(parsed.data);
    else logger.warn({ channel }, 'ignored a malformed batch notice');
  };
  subscriber.on('message', onMessage);
  await subscriber.subscribe(channel);
  return () => {
    subscriber.off('message', onMessage);
    subscriber.disconnect();
  };
}

/**
 * One subscriber connection per process for every SSE stream it serves: a job's channel is
 * subscribed while anyone here follows it, so a thousand open streams cost one Redis connection,
 * not a thousand.
 */
export class BatchNoticeHub {
  private readonly followers = new Map<string, Set<(notice: BatchNotice) => void>>();
  private subscriber: Redis | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  /** Calls `onNotice` for each notice about `jobId` until the returned function is called. */
  async follow(jobId: string, onNotice: (notice: BatchNotice) => void): Promise<() => void> {
    const channel = batchEventsChannel(this.prefix, jobId);
    let set = this.followers.get(channel);
    if (!set) {
      set = new Set();
      this.followers.set(channel, set);
    }
    set.add(onNotice);
    const own = set;
    const leave = (): void => {
      own.delete(onNotice);
      if (own.size > 0 || this.followers.get(channel) !== own) return;
      this.followers.delete(channel);
      this.subscriber?.unsubscribe(channel).catch((err: unknown) => this.logger.warn({ err, channel }, 'could not unsubscribe from batch notices'));
    };
    try {
      await this.connection().subscribe(channel);
    } catch (err) {
      leave();
      throw err;
    }
    return leave;
  }

  close(): void {
    this.followers.clear();
    this.subscriber?.disconnect();
    this.subscriber = null;
  }

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    // Its own settings: the request-path client refuses commands while disconnected and times them
    // out, whereas a subscription should wait for Redis and be renewed when it comes back.
    const sub = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, enableAutoPipelining: false });
    sub.on('error', (err: unknown) => this.logger.warn({ err }, 'batch notice subscriber: redis error'));
    sub.on('message', (channel: string, message: string) => {
      const set = this.followers.get(channel);
      if (!set) return;
      let raw: unknown = null;
      try {
        raw = JSON.parse(message);
      } catch {
        // not JSON: reported below as malformed
      }
      const parsed = BatchNotice.safeParse(raw);
      if (!parsed.success) return void this.logger.warn({ channel }, 'ignored a malformed batch notice');
      for (const f of set) f(parsed.data);
    });
    this.subscriber = sub;
    return sub;
  }
}
