import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import express from 'express';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsResponse, AuditEvent, type Role } from '@inkwell/contracts';
import { createDb, migrateSchema, type Db } from '@inkwell/db';
import { errorHandler } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { createRedis, TypedQueue } from '@inkwell/queue';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '../migrations';
import { StatsStore } from '../stats/stats.store';
import { AlertEvaluator } from './alert-evaluator';
import { alertRules, type AlertThresholds } from './alert-rules';
import { alertsRoutes } from './alerts.routes';

const logger = createLogger('test', 'silent');
const THRESHOLDS: AlertThresholds = { gpuQueueWaiting: 3, inferenceRefusals: 10, errorRate: 0.05, errorRateMinRequests: 20, windowS: 300 };
let env: TestEnv;
let db: Db;
let redis: Redis;
let gpu: Queue;
let audit: TypedQueue<'audit'>;

beforeAll(async () => {
  env = await createTestEnv();
  db = createDb({ url: env.database.url, schema: AUDIT_SCHEMA, poolMax: 2 });
  await migrateSchema(db, env.database.url, AUDIT_SCHEMA, AUDIT_MIGRATIONS);
  redis = createRedis(env.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
  gpu = new Queue('gpu', { connection: redis, prefix: env.redisPrefix });
  audit = new TypedQueue('audit', redis, env.redisPrefix);
});
afterAll(async () => {
  await gpu.close();
  await audit.close();
  redis.disconnect();
  await db.destroy();
  await env.cleanup();
});

async function until<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function alertEvents(): Promise<AuditEvent[]> {
  const jobs = await audit.queue.getJobs(['waiting']);
  return jobs.map((j) => AuditEvent.parse((j.data as { payload: unknown }).payload)).filter((e) => e.action.startsWith('alert.'));
}

describe('alert evaluation', () => {
  it('fires gpu_queue_full within 30 s of the gpu queue filling past the threshold with no trainer, records it, and resolves it', async () => {
    const evaluator = new AlertEvaluator(alertRules({ db, redis, gpuQueue: gpu, stats: new StatsStore(db), thresholds: THRESHOLDS }), audit, logger, 200);
    evaluator.start();
    try {
      await until('first evaluation', 10_000, () => evaluator.snapshot().evaluated_at ?? undefined);
      expect(evaluator.snapshot().firing).toEqual([]);
      // No worker on this prefix: nothing takes the jobs, as with the trainer down.
      for (let i = 0; i < 4; i++) await gpu.add('train.run', { n: i });
      const filled = Date.now();
      const fired = await until('gpu_queue_full firing', 30_000, () => evaluator.snapshot().firing.find((a) => a.rule === 'gpu_queue_full'));
      expect(Date.now() - filled).toBeLessThan(30_000);
      expect(fired).toMatchObject({ state: 'firing', severity: 'warning', value: 4, threshold: 3, resolved_at: null });
      const events = await alertEvents();
      expect(events.map((e) => [e.action, e.target?.id])).toEqual([['alert.fired', 'gpu_queue_full']]);
      expect(events[0]).toMatchObject({ service: 'audit', actor: { kind: 'system' }, details: { value: 4, threshold: 3 } });

      await gpu.drain();
      const resolved = await until('gpu_queue_full resolved', 10_000, () => evaluator.snapshot().recent.find((a) => a.rule === 'gpu_queue_full'));
      expect(resolved.state).toBe('resolved');
      expect(evaluator.snapshot().firing).toEqual([]);
      expect((await alertEvents()).map((e) => e.action).sort()).toEqual(['alert.fired', 'alert.resolved']);
    } finally {
      await evaluator.stop();
    }
  });

  it('fires database_unreachable when PostgreSQL does not answer', async () => {
    const deadDb = createDb({ url: 'postgres://postgres@127.0.0.1:1/none', schema: AUDIT_SCHEMA, poolMax: 1 });
    try {
      const evaluator = new AlertEvaluator(alertRules({ db: deadDb, redis, gpuQueue: gpu, stats: new StatsStore(deadDb), thresholds: THRESHOLDS, checkTimeoutMs: 1000 }), audit, logger, 60_000);
      await evaluator.evaluate();
      expect(evaluator.snapshot().firing.map((a) => a.rule)).toEqual(['database_unreachable']);
    } finally {
      await deadDb.destroy();
    }
  });

  it('fires inference_queue_full and error_rate_high from the stats rollups', async () => {
    await db.raw(`insert into stats_minutes (minute, metric, key, count) values (date_trunc('minute', now()), 'image_errors', 'service_unavailable', 11), (date_trunc('minute', now()), 'api_requests', '', 40), (date_trunc('minute', now()), 'api_failures', '503', 3)`);
    const evaluator = new AlertEvaluator(alertRules({ db, redis, gpuQueue: gpu, stats: new StatsStore(db), thresholds: THRESHOLDS }), audit, logger, 60_000);
    await evaluator.evaluate();
    expect(evaluator.snapshot().firing.map((a) => [a.rule, a.value])).toEqual([
      ['inference_queue_full', 11],
      ['error_rate_high', 3 / 40],
    ]);
  });

  it('GET /api/admin/alerts answers admins only', async () => {
    const evaluator = new AlertEvaluator([], audit, logger, 60_000);
    await evaluator.evaluate();
    let role: Role = 'admin';
    const app = express();
    app.use((_req, res, next) => {
      res.locals.identity = { kind: 'user', sub: 'a', role, email: null, session_id: null, ip: '127.0.0.1', user_agent: null };
      next();
    });
    app.use(alertsRoutes(evaluator));
    app.use(errorHandler(logger));
    const server: Server = await new Promise((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admin/alerts`;
    try {
      const ok = await fetch(url);
      expect(ok.status).toBe(200);
      expect(AlertsResponse.parse(await ok.json())).toMatchObject({ firing: [], recent: [] });
      for (const r of ['viewer', 'engineer'] as const) {
        role = r;
        expect((await fetch(url)).status).toBe(403);
      }
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
