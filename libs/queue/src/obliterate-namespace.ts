import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { deleteNamespace } from './redis';

/** The names of the queues that have keys under `prefix` (BullMQ keys are `<prefix>:<queue>:<what>`). */
export async function queuesUnder(redis: Redis, prefix: string): Promise<string[]> {
  if (!prefix) throw new Error('queuesUnder needs a prefix');
  const names = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    for (const key of keys) {
      const name = key.slice(prefix.length + 1).split(':')[0];
      if (name) names.add(name);
    }
    cursor = next;
  } while (cursor !== '0');
  return [...names].sort();
}

/**
 * Obliterates every queue under `prefix` (a test's, a bench run's), active jobs included, then
 * deletes whatever else is left there. Returns the queues it found.
 */
export async function obliterateNamespace(redis: Redis, prefix: string): Promise<string[]> {
  const names = await queuesUnder(redis, prefix);
  for (const name of names) {
    const queue = new Queue(name, { connection: redis, prefix });
    try {
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  }
  await deleteNamespace(redis, prefix);
  return names;
}
