import { Queue } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '@inkwell/contracts';
import { createRedis } from '@inkwell/queue';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { gatewayService } from '../service';

let env: TestEnv;
let gateway: Awaited<ReturnType<typeof startService<typeof gatewayService.env, ReturnType<typeof gatewayService.build>>>>;
let queue: Queue;

beforeAll(async () => {
  // A long flush interval: the test flushes itself, so it sees exactly the calls it made.
  env = await createTestEnv({ RATE_LIMIT_GUEST: '2', GATEWAY_AUDIT_FLUSH_MS: '600000', AUTH_URL: 'http://127.0.0.1:9', INFERENCE_URL: 'http://127.0.0.1:9' });
  gateway = await startService(gatewayService, { env: env.env });
  queue = new Queue('audit', { connection: createRedis(env.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker'), prefix: env.redisPrefix });
});
afterAll(async () => {
  await gateway.close();
  await queue.close();
  await env.cleanup();
});

async function queuedEvents(): Promise<AuditEvent[]> {
  const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
  return jobs.map((j) => {
    expect(j.name).toBe('audit.record');
    const data = j.data as { payload: unknown };
    const event = AuditEvent.parse(data.payload);
    // The job id is the event id: a flush retried after a lost reply adds nothing twice.
    expect(j.id).toBe(event.id);
    return event;
  });
}

describe('gateway API-call audit events', () => {
  it('records every API call with route, status, caller and duration, refusals (401, 429) included, in one batch', async () => {
    const denied = await request(gateway.url).get('/api/admin/users').set('User-Agent', 'audit-test/1');
    expect(denied.status).toBe(401);
    // A guest has a budget of 2 calls a window (the upstream is down: a failure too), then is refused with 429.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(gateway.url).post('/v1/read').attach('file', Buffer.from('x'), 'x.png')).status);
    expect(statuses).toContain(429);

    expect(await queuedEvents()).toEqual([]); // nothing written on the request path
    expect(gateway.exposes.apiCalls.pending).toBe(4);
    await gateway.exposes.apiCalls.flush();
    const events = await queuedEvents();
    expect(events).toHaveLength(4);
    for (const e of events) {
      expect(e.service).toBe('gateway');
      expect(e.action).toBe('api.call');
      expect(e.outcome).toBe('failure');
      expect(e.actor.kind).toBe('guest');
      expect(e.ip).toMatch(/127\.0\.0\.1/);
      expect(e.request_id).toMatch(/.+/);
      expect(typeof e.details.duration_ms).toBe('number');
    }
    const unauthorized = events.find((e) => e.details.status === 401);
    expect(unauthorized).toMatchObject({ user_agent: 'audit-test/1', target: { type: 'route', id: 'GET /api/admin/users' }, details: { method: 'GET', route: '/api/admin/users', path: '/api/admin/users' } });
    const limited = events.filter((e) => e.details.status === 429);
    expect(limited).toHaveLength(statuses.filter((s) => s === 429).length);
    expect(limited.every((e) => e.details.path === '/v1/read')).toBe(true);
    expect(events.filter((e) => e.details.path === '/v1/read').map((e) => e.details.status).sort()).toEqual([...statuses].sort());
  });
});
