import type { Redis } from 'ioredis';
import { MODEL_PROMOTED_CHANNEL } from '@inkwell/contracts';
import type { TopicHandler } from './topic-handler';

/**
 * `model.promoted` rows are PUBLISHed on `<prefix>:model.promoted`. Pub/sub is fire and forget:
 * a replica that is not subscribed at that moment misses the message, so inference also asks the
 * registry for the active set whenever its subscription (re)connects; a double delivery is
 * harmless (the event names an activation id, and a replica ignores one it already serves).
 */
export function publishModelPromoted(redis: Redis, prefix: string): TopicHandler<'model.promoted'> {
  const channel = `${prefix}:${MODEL_PROMOTED_CHANNEL}`;
  return {
    async deliver(event) {
      await redis.publish(channel, JSON.stringify(event));
    },
  };
}
