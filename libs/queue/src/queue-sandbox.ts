import { randomBytes } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueName } from '@inkwell/contracts';
import { obliterateNamespace } from './obliterate-namespace';
import { createRedis } from './redis';
import { TypedQueue } from './typed-queue';
import { waitForJob, type FinishedJob } from './wait-for-job';

interface Closable {
  close(): Promise<unknown>;
}

/** Queues under a prefix of their own (a test's, a bench run's), all obliterated by `cleanup`. */
export interface QueueSandbox {
  readonly prefix: string;
  /** A blocking-kind connection, as workers need. */
  readonly connection: Redis;
  /** The producer for a queue under this prefix (one per name). */
  queue<Q extends QueueName>(name: Q): TypedQueue<Q>;
  /** QueueEvents for a queue under this prefix (one per name), listening once returned. */
  events(name: QueueName): Promise<QueueEvents>;
  /** Waits on QueueEvents for a job to complete or fail; a job already finished is seen too. */
  waitForJob(name: QueueName, jobId: string, timeoutMs?: number): Promise<FinishedJob>;
  /** Closes `closable` (a worker) in `cleanup`, before the queues are obliterated. */
  track<T extends Closable>(closable: T): T;
  /** Closes what it made or tracked, obliterates every queue under the prefix and deletes its keys. */
  cleanup(): Promise<void>;
}

export function createQueueSandbox(redisUrl: string, prefix = `tq${randomBytes(5).toString('hex')}`): QueueSandbox {
  const connection = createRedis(redisUrl, 'worker');
  const queues = new Map<QueueName, TypedQueue<QueueName>>();
  const events = new Map<QueueName, Promise<{ events: QueueEvents; connection: Redis }>>();
  const tracked: Closable[] = [];

  const queue = <Q extends QueueName>(name: Q): TypedQueue<Q> => {
    const existing = queues.get(name);
    if (existing) return existing as TypedQueue<QueueName> as TypedQueue<Q>;
    const made = new TypedQueue(name, connection, prefix);
    queues.set(name, made);
    return made;
  };
  const eventsOf = (name: QueueName): Promise<QueueEvents> => {
    let made = events.get(name);
    if (!made) {
      // QueueEvents blocks on its connection (XREAD BLOCK), so it gets one of its own. It reads
      // from the stream's last id as of now: by default it starts at `$` on its first XREAD, which
      // comes after waitUntilReady resolves, so a job finishing in between was never announced
      // (a waitForJob that had just found it still active then timed out, once in CI).
      const own = createRedis(redisUrl, 'worker');
      made = (async () => {
        const [last] = await own.xrevrange(`${prefix}:${name}:events`, '+', '-', 'COUNT', 1);
        const queueEvents = new QueueEvents(name, { connection: own, prefix, lastEventId: last?.[0] ?? '0-0' });
        await queueEvents.waitUntilReady();
        return { events: queueEvents, connection: own };
      })();
      events.set(name, made);
    }
    return made.then((m) => m.events);
  };

  return {
    prefix,
    connection,
    queue,
    events: eventsOf,
    async waitForJob(name, jobId, timeoutMs = 30_000) {
      return waitForJob(await eventsOf(name), jobId, timeoutMs, queue(name).queue);
    },
    track(closable) {
      tracked.push(closable);
      return closable;
    },
    async cleanup() {
      await Promise.all(tracked.map((c) => c.close()));
      for (const made of events.values()) {
        const { events: queueEvents, connection: own } = await made;
        await queueEvents.close();
        own.disconnect();
      }
      await Promise.all([...queues.values()].map((q) => q.close()));
      try {
        await obliterateNamespace(connection, prefix);
      } finally {
        connection.disconnect();
      }
    },
  };
}
