import { Redis, type RedisOptions } from 'ioredis';

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
