import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent, PredictionAggregate, type Identity } from '@inkwell/contracts';
import { createDb, type Db } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { auditToQueue, OutboxRelay } from '@inkwell/outbox';
import { createRedis, TypedQueue } from '@inkwell/queue';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { INFERENCE_SCHEMA } from '../migrations';
import { PredictionAudit } from './prediction-audit';

const logger = createLogger('test', 'silent');
let env: TestEnv;
let db: Db;

beforeAll(async () => {
  env = await createTestEnv();
  db = createDb({ url: env.database.url, schema: INFERENCE_SCHEMA, poolMax: 2 });
});
afterAll(async () => {
  await db.destroy();
  await env.cleanup();
});

const who = (kind: Identity['kind'], sub: string | null, ip = '198.51.100.7'): Identity => ({ kind, sub, role: kind === 'guest' ? null : 'viewer', email: kind === 'user' ? `${sub ?? ''}@e.test` : null, session_id: null, ip, user_agent: null });

async function outboxEvents(): Promise<AuditEvent[]> {
  const rows: { topic: string; payload: unknown }[] = await db('outbox').select('topic', 'payload').orderBy('created_at');
  return rows.map((r) => {
    expect(r.topic).toBe('audit');
    return AuditEvent.parse(r.payload);
  });
}

describe('inference audit events', () => {
  it('writes one inference.predictions event per caller, route and minute once the minute has ended, and model swaps', async () => {
    const minute = Date.parse('2026-12-07T10:15:00Z');
    let clock = minute + 5_000;
    const audit = new PredictionAudit(db, logger, () => undefined, () => new Date(clock));
    const u1 = who('user', 'u1');
    audit.record(u1, '/v1/read', 'ok');
    audit.record(u1, '/v1/read', 'ok');
    clock += 30_000;
    audit.record(u1, '/v1/read', 'validation_failed');
    audit.record(who('api_key', 'k1'), '/api/predict', 'ok');
    audit.record(who('api_key', 'k1'), '/api/predict', 'service_unavailable');
    audit.record(who('guest', null, '203.0.113.9'), '/v1/read', 'ok');
    audit.record(who('guest', null, '203.0.113.10'), '/v1/read', 'ok');

    await audit.flush();
    expect(await outboxEvents()).toEqual([]); // the minute is still under way

    clock = minute + 61_000;
    audit.record(u1, '/v1/read', 'ok'); // the next minute: stays in memory
    await audit.flush();
    const events = await outboxEvents();
    expect(events).toHaveLength(4);
    for (const e of events) {
      expect(e).toMatchObject({ service: 'inference', action: 'inference.predictions', at: '2026-12-07T10:15:00.000Z' });
      PredictionAggregate.parse(e.details);
    }
    const byActor = Object.fromEntries(events.map((e) => [`${e.actor.kind}:${e.actor.id ?? e.ip ?? ''}`, e]));
    expect(byActor['user:u1']).toMatchObject({ outcome: 'failure', actor: { email: 'u1@e.test' }, ip: '198.51.100.7', details: { route: '/v1/read', requests: 3, successes: 2, errors: { validation_failed: 1 } } });
    expect(byActor['api_key:k1']?.details).toMatchObject({ route: '/api/predict', requests: 2, successes: 1, errors: { service_unavailable: 1 } });
    expect(byActor['guest:203.0.113.9']).toMatchObject({ outcome: 'success', details: { requests: 1, successes: 1, errors: {} } });
    expect(byActor['guest:203.0.113.10']?.details).toMatchObject({ requests: 1 });

    const engine = { name: 'ort-cpu', variant: 'float32' as const, threads: 1, benchmark_id: null };
    audit.modelSwapped({ id: 2, modelId: 'ensemble_2_models', manifests: [], files: [], providers: ['cpu'], engine, loadedAt: new Date() }, { id: 1, modelId: 'mlp-1', manifests: [], files: [], providers: ['cpu'], engine, loadedAt: new Date() });
    await audit.stop(); // the open minute is written too
    const all = await outboxEvents();
    expect(all).toHaveLength(6);
    expect(all.find((e) => e.action === 'inference.model_swap')).toMatchObject({ actor: { kind: 'system' }, target: { type: 'model_set', id: 'ensemble_2_models' }, details: { previous_model_id: 'mlp-1' } });
    expect(all.filter((e) => e.at === '2026-12-07T10:16:00.000Z').map((e) => e.details.requests)).toEqual([1]);
  });

  it('the outbox relay hands them to the audit queue, job id = event id', async () => {
    const redis = createRedis(env.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
    const queue = new TypedQueue('audit', redis, env.redisPrefix);
    const relay = new OutboxRelay({ db, logger, handlers: { audit: auditToQueue(queue) } });
    try {
      const sent = await relay.drain();
      expect(sent.sent).toBe(6);
      const jobs = await queue.queue.getJobs(['waiting']);
      const ids = (await outboxEvents()).map((e) => e.id).sort();
      expect(jobs.map((j) => j.id).sort()).toEqual(ids);
    } finally {
      await relay.stop();
      await queue.close();
      redis.disconnect();
    }
  });
});
