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
