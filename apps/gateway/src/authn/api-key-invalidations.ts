import type { Redis } from 'ioredis';
import { ApiKeyInvalidation, apiKeyInvalidationChannel } from '@inkwell/auth-guard';
import type { Logger } from '@inkwell/logger';
import type { ApiKeyCache } from './api-key-cache';

const HEARTBEAT_INTERVAL_MS = 2000;
const HEARTBEAT_TIMEOUT_MS = 1000;

/**
 * Keeps `cache` honest: drops a key when auth announces it changed, and holds nothing while the
 * subscription is down (messages sent then are lost), starting empty once it is back. A subscribed
 * Redis connection can do nothing else, so this uses its own duplicate of the gateway's.
 */
export function subscribeApiKeyInvalidations(redis: Redis, prefix: string, cache: ApiKeyCache, logger: Logger): () => Promise<void> {
  const channel = apiKeyInvalidationChannel(prefix);
  // The subscription is made again by hand on every (re)connect, so the cache resumes only once
  // the channel is really subscribed.
  const sub = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, autoResubscribe: false, lazyConnect: true, connectionName: `${prefix}:api-key-invalidations` });
  let closing = false;
  sub.on('error', (err: Error) => logger.warn({ err: err.message }, 'API-key invalidation subscriber connection problem'));
  sub.on('close', () => cache.suspend());
  sub.on('ready', () => {
    sub.subscribe(channel).then(
      () => {
        if (!closing) cache.resume();
      },
      (err: unknown) => logger.warn({ err }, `could not subscribe to ${channel}; API keys are checked with auth on every request`),
    );
  });
  sub.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    let event: ApiKeyInvalidation;
    try {
      event = ApiKeyInvalidation.parse(JSON.parse(message));
    } catch {
      // Unreadable: the safe reading is "something changed", at the cost of refilling.
      logger.warn({ message: message.slice(0, 200) }, 'malformed API-key invalidation: clearing the whole cache');
      cache.resume();
      return;
    }
    cache.invalidate(event.key_id);
  });
  sub.connect().catch((err: unknown) => logger.warn({ err }, 'API-key invalidation subscriber could not connect yet'));
  // A half-open connection (a silent network drop, no reset) never closes by itself, and would
  // miss revocations while the cache still trusts it: a PING that gets no answer in time ends it
  // (the cache is suspended on close and starts empty on the reconnect).
  const heartbeat = setInterval(() => {
    if (sub.status !== 'ready') return;
    const timer = setTimeout(() => {
      logger.warn('API-key invalidation subscriber did not answer PING: reconnecting');
      cache.suspend();
      sub.disconnect(true);
    }, HEARTBEAT_TIMEOUT_MS);
    sub.ping().then(
      () => clearTimeout(timer),
      () => undefined, // the timer decides
    );
  }, HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();
  return async () => {
    closing = true;
    clearInterval(heartbeat);
    cache.suspend();
    await sub.unsubscribe(channel).catch(() => undefined);
    sub.disconnect();
  };
}
