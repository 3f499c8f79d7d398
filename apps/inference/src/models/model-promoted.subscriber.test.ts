import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processEnv } from '@inkwell/config';
import { MODEL_PROMOTED_CHANNEL, type ModelPromoted } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { createRedis } from '@inkwell/queue';
import type { Redis } from 'ioredis';
import { subscribeModelPromoted } from './model-promoted.subscriber';

const url = processEnv().REDIS_URL ?? 'redis://127.0.0.1:6379';
// Pub/sub channels are not keys: a random prefix keeps this file's channel its own.
const prefix = `test-sub-${randomBytes(4).toString('hex')}`;
const channel = `${prefix}:${MODEL_PROMOTED_CHANNEL}`;
let redis: Redis;
let publisher: Redis;

const until = async (cond: () => boolean, ms = 10_000) => {
  for (const start = Date.now(); !cond(); await new Promise((r) => setTimeout(r, 10))) if (Date.now() - start > ms) throw new Error('condition not met');
};

beforeAll(() => {
  redis = createRedis(url);
  publisher = createRedis(url);
});

afterAll(async () => {
  await redis.quit();
  await publisher.quit();
});

describe('the model.promoted subscriber', () => {
  it('reports each acknowledged SUBSCRIBE (the first and the one after a dropped connection), and by then events arrive', async () => {
    const subscribed: { again: boolean; receivers: number }[] = [];
    const events: ModelPromoted[] = [];
    const stop = subscribeModelPromoted(redis, prefix, {
      onEvent: (e) => events.push(e),
      // What inference does here is re-read the registry; a PUBLISH at this moment must already reach the subscriber.
      onSubscribed: (again) => void publisher.publish(channel, JSON.stringify({ activation_id: subscribed.length + 1 })).then((receivers) => subscribed.push({ again, receivers })),
    }, createLogger('test', 'silent'));
    try {
      await until(() => subscribed.length === 1);
      expect(subscribed[0]).toEqual({ again: false, receivers: 1 });
      await until(() => events.length === 1);

      // Drop the subscriber's connection (only this one, found by its name): it reconnects and subscribes again.
      const clients = String(await publisher.client('LIST')).split('\n');
      const id = clients.find((l) => l.includes(` name=${channel} `))?.match(/^id=(\d+)/)?.[1];
      expect(id).toBeDefined();
      await publisher.client('KILL', 'ID', id ?? '');
      await until(() => subscribed.length === 2);
      expect(subscribed[1]).toEqual({ again: true, receivers: 1 });
      await until(() => events.length === 2);
      expect(events).toEqual([{ activation_id: 1 }, { activation_id: 2 }]);
    } finally {
      await stop();
    }
  });
});
