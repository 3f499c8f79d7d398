import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { createRedis, TypedQueue } from '@inkwell/queue';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { AuditBatcher } from './audit-batcher';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => env.cleanup());

const event = (): AuditEvent => ({
  id: randomUUID(),
  at: new Date().toISOString(),
  service: 'gateway',
  action: 'api.call',
  outcome: 'success',
  actor: { kind: 'guest', id: null, email: null, role: null },
  target: null,
  ip: '192.0.2.1',
  user_agent: null,
  request_id: null,
  details: {},
});

describe('AuditBatcher', () => {
  it('keeps the events Redis refused and sends them, once, when it answers again', async () => {
    const redis = createRedis(env.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
    const queue = new TypedQueue('audit', redis, env.redisPrefix);
    const batcher = new AuditBatcher(queue, createLogger('test', 'silent'), { flushMs: 60_000, maxBuffered: 3 });
    try {
      await queue.queue.waitUntilReady();
      const first = [event(), event()];
      for (const e of first) batcher.push(e);
      const closed = new Promise((r) => redis.once('end', r));
      redis.disconnect(); // Redis gone: the flush fails and keeps them
      await closed;
      await batcher.flush();
      expect(batcher.pending).toBe(2);
      const later = [event(), event()];
      for (const e of later) batcher.push(e); // over maxBuffered: the oldest is dropped
      expect(batcher.pending).toBe(3);
      await redis.connect();
      await batcher.flush();
      expect(batcher.pending).toBe(0);
      const ids = (await queue.queue.getJobs(['waiting'])).map((j) => j.id).sort();
      expect(ids).toEqual([first[1], ...later].map((e) => e?.id).sort());
    } finally {
      await batcher.stop();
      await queue.close();
      redis.disconnect();
    }
  });

  it('counts every event it drops, those evicted while a failing flush was in flight included', async () => {
    // A Redis that never answers (nothing listens on port 1): the flush waits for it, in flight.
    const redis = createRedis('redis://127.0.0.1:1', 'client');
    redis.on('error', () => undefined);
    const queue = new TypedQueue('audit', redis, env.redisPrefix);
    queue.queue.on('error', () => undefined);
    const lines: { msg: string; dropped?: number }[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString()) as { msg: string; dropped?: number }), done()) }));
    const batcher = new AuditBatcher(queue, logger, { flushMs: 60_000, maxBuffered: 3 });
    try {
      batcher.push(event());
      batcher.push(event());
      const refused = new Promise((r) => redis.once('error', r));
      const inFlight = batcher.flush();
      await refused; // the flush has taken its batch and waits for Redis
      for (let i = 0; i < 3; i++) batcher.push(event()); // 5 events, room for 3: the 2 oldest (in flight) go
      redis.disconnect(); // the flush fails
      await inFlight;
      expect(batcher.pending).toBe(3);
      await batcher.flush(); // logs what was dropped (and fails again: the connection is closed)
      const logged = lines.filter((l) => l.msg.includes('dropped')).reduce((n, l) => n + (l.dropped ?? 0), 0);
      expect(logged).toBe(2);
      expect(batcher.droppedTotal).toBe(2);
    } finally {
      await batcher.stop();
      await queue.close();
      redis.disconnect();
    }
  });

  it('drops an invalid event when it is pushed, so it never blocks the events it would be sent with', async () => {
    const redis = createRedis(env.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
    const prefix = `${env.redisPrefix}-invalid`;
    const queue = new TypedQueue('audit', redis, prefix);
    const batcher = new AuditBatcher(queue, createLogger('test', 'silent'), { flushMs: 60_000, maxBuffered: 10 });
    try {
      await queue.queue.waitUntilReady();
      const good = [event(), event()];
      batcher.push(good[0] ?? event());
      batcher.push({ ...event(), id: 'not-a-uuid' });
      batcher.push(good[1] ?? event());
      expect(batcher.pending).toBe(2);
      expect(batcher.droppedTotal).toBe(1);
      await batcher.flush();
      expect(batcher.pending).toBe(0);
      const ids = (await queue.queue.getJobs(['waiting'])).map((j) => j.id).sort();
      expect(ids).toEqual(good.map((e) => e.id).sort());
    } finally {
      await batcher.stop();
      await queue.queue.obliterate({ force: true });
      await queue.close();
      redis.disconnect();
    }
  });
});
