import type { Redis } from 'ioredis';
import { MODEL_PROMOTED_CHANNEL, ModelPromoted } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';
import type { ModelManager } from './model-manager';

/**
 * Listens on `<prefix>:model.promoted` and hot-swaps the active set. A subscribed Redis connection
 * can do nothing else, so this uses its own duplicate of the service's connection.
 */
export function subscribeModelPromoted(redis: Redis, prefix: string, manager: ModelManager, logger: Logger): () => Promise<void> {
  const channel = `${prefix}:${MODEL_PROMOTED_CHANNEL}`;
  // Queue the SUBSCRIBE until connected (and again after reconnects) rather than failing start-up.
  const sub = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined });
  sub.on('error', (err: Error) => logger.warn({ err: err.message }, 'model.promoted subscriber connection problem'));
  sub.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    let event: ModelPromoted;
    try {
      event = ModelPromoted.parse(JSON.parse(message));
    } catch (err) {
      logger.warn({ err, message: message.slice(0, 200) }, 'ignoring malformed model.promoted event');
      return;
    }
    logger.info({ model_ids: event.model_ids ?? 'configured', promoted_request_id: event.request_id }, 'model.promoted: loading the new set');
    manager.load(event.model_ids).catch(() => undefined); // the manager logs the failure; the old set keeps serving
  });
  sub.subscribe(channel).catch((err: unknown) => logger.warn({ err }, `could not subscribe to ${channel}`));
  return async () => {
    await sub.unsubscribe(channel).catch(() => undefined);
    sub.disconnect();
  };
}
