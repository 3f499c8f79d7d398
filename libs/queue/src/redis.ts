import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '@inkwell/logger';

/**
 * Two kinds of connection, as BullMQ's production guide says: blocking consumers need
 * `maxRetriesPerRequest: null` (a worker must wait out a Redis restart, not throw); request-path
 * clients fail fast so an HTTP call can answer 503 instead of hanging.
 */
export function createRedis(url: string, kind: 'client' | 'worker' = 'client', extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    ...(kind === 'worker'
      ? { maxRetriesPerRequest: null, enableOfflineQueue: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, commandTimeout: 2000 }),
    retryStrategy: (times) => Math.min(times * 200, 2000),
    enableAutoPipelining: kind === 'client',
    lazyConnect: false,
    ...extra,
  });
}

export const pingRedis = async (redis: Redis): Promise<void> => {
  const pong = await redis.ping();
  if (pong !== 'PONG') throw new Error(`unexpected PING reply ${pong}`);
};

/**
 * Start-up courtesy: request-path clients refuse commands until connected, so wait (briefly) for
 * the first connection. A Redis that stays down does not stop start-up: readiness reports it.
 */
export async function waitForRedis(redis: Redis, timeoutMs = 5000): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}

/** A service's request-path Redis client at start-up: connection problems are logged, and the first connection is awaited briefly. */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = createRedis(url);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection problem'));
  if (!(await waitForRedis(redis))) logger.warn('redis is not answering yet; starting anyway (readiness will say so)');
  return redis;
}

/** Deletes every key of a namespace (a test file's, a bench run's), a page at a time so Redis never stalls. */
export async function deleteNamespace(redis: Redis, prefix: string): Promise<void> {
  if (!prefix) throw new Error('deleteNamespace needs a prefix');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
