import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@inkwell/logger';
import { createRedis, TypedQueue } from '@inkwell/queue';
import { authFixture, type AuthFixture } from '../testing/auth-fixture';
import { recordAudit } from './audit-recorder';
import { OutboxRelay } from './outbox-relay';

let f: AuthFixture;
beforeAll(async () => {
  f = await authFixture();
  await f.relay.stop(); // this test drives relays by hand
});
afterAll(() => f.close());

const unsent = async (): Promise<{ id: string; attempts: number; last_error: string | null }[]> =>
  f.db('outbox').select('id', 'attempts', 'last_error').where({ topic: 'audit' }).whereNull('sent_at');

describe('outbox relay', () => {
  it('survives a Redis outage: the failed pass is recorded, and the events go out once Redis is back', async () => {
    const event = await f.db.transaction((trx) => recordAudit(trx, { action: 'auth.test_outage', actor: { kind: 'system' } }));

    // A queue whose Redis is down (nothing listens on port 1): adds fail as they do in an outage.
    const downRedis = createRedis('redis://127.0.0.1:1', 'client', { retryStrategy: () => null });
    downRedis.on('error', () => undefined);
    const downQueue = new TypedQueue('audit', downRedis, f.config.REDIS_PREFIX);
    downQueue.queue.on('error', () => undefined);
    const failing = new OutboxRelay(f.db, downQueue, createLogger('auth', 'silent'), 1000, 2000);
    await expect(failing.drain()).rejects.toThrow();
    downRedis.disconnect();

    const [row] = (await unsent()).filter((r) => r.id === event.id);
    expect(row?.attempts).toBe(1);
    expect(row?.last_error).toEqual(expect.any(String));

    // Redis is back: the next pass, on a healthy queue, relays the event (no lock left behind).
    expect(await f.relay.drain()).toBeGreaterThanOrEqual(1);
    expect((await unsent()).map((r) => r.id)).not.toContain(event.id);
    expect(await f.auditQueue.queue.getJob(event.id)).toBeTruthy();
  }, 20_000);
});
