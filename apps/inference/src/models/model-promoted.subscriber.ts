import type { Redis } from 'ioredis';
import { MODEL_PROMOTED_CHANNEL, ModelPromoted } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';

export interface ModelPromotedHandlers {
  onEvent(event: ModelPromoted): void;
  /**
   * Redis acknowledged the SUBSCRIBE: from now on no event is lost. Called after the first one and
   * after each one that follows a dropped connection. Pub/sub keeps nothing for a subscriber that is
   * not yet (or no longer) subscribed, so whatever was published before is lost: the caller re-reads
   * the active set, which closes the gap between its start-up read and the subscription too.
   */
  onSubscribed?(again: boolean): void;
}

/**
 * Listens on `<prefix>:model.promoted` and hands each valid event on. A subscribed Redis connection
 * can do nothing else, so this uses its own duplicate of the service's connection, named
 * `<prefix>:model.promoted` in CLIENT LIST.
 */
export function subscribeModelPromoted(redis: Redis, prefix: string, handlers: ModelPromotedHandlers, logger: Logger): () => Promise<void> {
  const channel = `${prefix}:${MODEL_PROMOTED_CHANNEL}`;
  // The SUBSCRIBE is sent here on every (re)connection rather than by ioredis' autoResubscribe,
  // whose re-subscription has no acknowledgement to wait for.
  const sub = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, autoResubscribe: false, connectionName: channel });
  sub.on('error', (err: Error) => logger.warn({ err: err.message }, 'model.promoted subscriber connection problem'));
  let subscribedBefore = false;
  let stopped = false;
  sub.on('ready', () => {
    sub.subscribe(channel).then(
      () => {
        if (stopped) return;
        if (subscribedBefore) logger.info('model.promoted subscription restored; re-reading the active set');
        handlers.onSubscribed?.(subscribedBefore);
        subscribedBefore = true;
      },
      (err: unknown) => logger.warn({ err }, `could not subscribe to ${channel}; it is tried again when the connection comes back`),
    );
  });
  sub.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    let event: ModelPromoted;
    try {
      event = ModelPromoted.parse(JSON.parse(message));
    } catch (err) {
      logger.warn({ err, message: message.slice(0, 200) }, 'ignoring malformed model.promoted event');
      return;
    }
    logger.info({ model_ids: event.model_ids ?? 'configured', activation_id: event.activation_id, promoted_request_id: event.request_id }, 'model.promoted received');
    handlers.onEvent(event);
  });
  return async () => {
    stopped = true;
    await sub.unsubscribe(channel).catch(() => undefined);
    sub.disconnect();
  };
}
