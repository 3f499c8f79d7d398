import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminStats } from '@inkwell/contracts';
import { createDb, migrateSchema, type Db } from '@inkwell/db';
import { errorHandler } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '../migrations';
import { statsRoutes } from './stats.routes';
import { StatsService } from './stats.service';
import { StatsStore } from './stats.store';

let env: TestEnv;
let db: Db;
let seq = 0;
const DAY_MS = 86_400_000;

/** Ensures the month partition of `at` exists (the audit service makes them at start; this test has no service). */
async function partitionFor(at: Date): Promise<void> {
  const from = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const to = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  const name = `events_${from.getUTCFullYear()}_${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
  await db.raw(`create table if not exists ?? partition of events for values from ('${from.toISOString()}') to ('${to.toISOString()}')`, [name]);
}

interface Row {
  readonly at: Date;
  readonly action: string;
  readonly type?: 'api' | 'user' | 'system';
  readonly result?: 'success' | 'failure';
  readonly actor?: readonly [kind: string, id: string | null];
  readonly details?: Record<string, unknown>;
}

/** Stores an event as the audit writer does (hashes are not what this test checks). */
async function store(r: Row): Promise<void> {
  seq++;
  const [kind, id] = r.actor ?? ['system', null];
  await db('events').insert({
    seq,
    event_id: randomUUID(),
    occurred_at: r.at,
    recorded_at: new Date(),
    service: 'test',
    type: r.type ?? (r.action.startsWith('api.') ? 'api' : kind === 'system' ? 'system' : 'user'),
    action: r.action,
    result: r.result ?? 'success',
    actor_kind: kind,
    actor_id: id,
    details: JSON.stringify(r.details ?? {}),
    prev_hash: '0'.repeat(64),
    hash: '0'.repeat(64),
  });
}

const predictions = (at: Date, caller: readonly [string, string | null], route: string, requests: number, successes: number, errors: Record<string, number>): Row => ({
  at,
  action: 'inference.predictions',
  actor: caller,
  details: { minute: at.toISOString(), route, requests, successes, errors },
});

beforeAll(async () => {
  env = await createTestEnv();
  const url = env.database.url;
  db = createDb({ url, schema: AUDIT_SCHEMA, poolMax: 2 });
  await migrateSchema(db, url, AUDIT_SCHEMA, AUDIT_MIGRATIONS);
  await partitionFor(new Date());
});
afterAll(async () => {
  await db.destroy();
  await env.cleanup();
});

describe('admin statistics from the audit log', () => {
  const now = new Date();
  const earlier = new Date(now.getTime() - 60_000);
  const threeDaysAgo = new Date(now.getTime() - 3 * DAY_MS);
  const u1 = ['user', 'u1'] as const;
  const u2 = ['user', 'u2'] as const;
  const k1 = ['api_key', 'k1'] as const;
  const guest = ['guest', null] as const;

  it('counts images, successes, errors by code, active users, API calls and their refusals, with 60-minute, 7- and 30-day series', async () => {
    await store(predictions(earlier, u1, '/v1/read', 5, 3, { validation_failed: 2 }));
    await store(predictions(now, u1, '/v1/read', 1, 1, {}));
    await store(predictions(now, k1, '/api/predict', 4, 3, { service_unavailable: 1 }));
    await store(predictions(now, u2, '/api/batch', 6, 6, {}));
    await store(predictions(now, guest, '/v1/read', 2, 2, {}));
    // Arrived late (the audit service was down): counted on the day it happened.
    await store(predictions(threeDaysAgo, u1, '/v1/read', 7, 7, {}));
    await store({ at: earlier, action: 'api.call', actor: u1, details: { status: 200 } });
    await store({ at: earlier, action: 'api.call', actor: guest, result: 'failure', details: { status: 401 } });
    await store({ at: earlier, action: 'api.call', actor: guest, result: 'failure', details: { status: 429 } });
    await store({ at: now, action: 'api.call', actor: k1, result: 'failure', details: { status: 503 } });
    await store({ at: now, action: 'auth.sign_in', actor: u2 });
    await store({ at: now, action: 'system.startup' });

    const stats = AdminStats.parse(await new StatsService(new StatsStore(db), 0, () => now).current());
    expect(stats.images_processed).toEqual({ single: 12, batch: 6, total: 18 });
    expect(stats.successes).toBe(15);
    expect(stats.success_rate).toBeCloseTo(15 / 18);
    expect(stats.errors).toEqual({ total: 3, by_code: { validation_failed: 2, service_unavailable: 1 } });
    expect(stats.active_users).toEqual({ users: 2, api_keys: 1, total: 3 });
    expect(stats.api).toEqual({ requests: 4, failures: 3, failures_by_status: { '401': 1, '429': 1, '503': 1 } });
    expect(stats.requests_per_minute).toBe(3);
    expect(stats.series.last_hour).toHaveLength(60);
    expect(stats.series.last_hour.at(-1)).toMatchObject({ images: 13, errors: 1, api_requests: 1 });
    expect(stats.series.last_hour.at(-2)).toMatchObject({ images: 5, errors: 2, api_requests: 3 });
    expect(stats.series.last_7_days).toHaveLength(7);
    expect(stats.series.last_30_days).toHaveLength(30);
    expect(stats.series.last_30_days.at(-1)).toMatchObject({ day: stats.day, images: 18, active_users: 3 });
    const then = stats.series.last_7_days.find((d) => d.day === threeDaysAgo.toISOString().slice(0, 10));
    expect(then).toMatchObject({ images: 7, successes: 7, active_users: 1 });
  });

  it('never lets malformed counts block the log: they count as 0', async () => {
    await store({ at: now, action: 'inference.predictions', actor: u1, details: { route: '/v1/read', requests: 'lots', successes: -3, errors: ['x'] } });
    const stats = await new StatsService(new StatsStore(db), 0, () => now).current();
    expect(stats.images_processed.total).toBe(18);
  });

  it('serves many pollers from one computation per cache interval, each under 100 ms', async () => {
    let clock = now.getTime();
    const service = new StatsService(new StatsStore(db), 2000, () => new Date(clock));
    const started = performance.now();
    const first = await service.current();
    expect(performance.now() - started).toBeLessThan(100);
    const polls = await Promise.all(Array.from({ length: 50 }, () => service.current()));
    expect(polls.every((p) => p === first)).toBe(true);
    await store(predictions(now, u1, '/v1/read', 1, 1, {}));
    clock += 1999;
    expect((await service.current()).images_processed.total).toBe(18);
    clock += 1;
    expect((await service.current()).images_processed.total).toBe(19);
  });

  it('pushes the stats over SSE at the configured interval', async () => {
    const app = express();
    app.use((_req, res, next) => {
      res.locals.identity = { kind: 'user', sub: 'a', role: 'admin', email: null, session_id: null, ip: '127.0.0.1', user_agent: null };
      next();
    });
    app.use(statsRoutes({ stats: new StatsService(new StatsStore(db), 0), streamIntervalMs: 100, logger: createLogger('test', 'silent') }));
    app.use(errorHandler(createLogger('test', 'silent')));
    const server: Server = await new Promise((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admin/stats/stream`);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const reader = res.body?.getReader();
      if (!reader) throw new Error('no body');
      let text = '';
      const started = performance.now();
      while ((text.match(/event: stats/g) ?? []).length < 3) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += new TextDecoder().decode(chunk.value);
      }
      expect((text.match(/event: stats/g) ?? []).length).toBe(3);
      expect(performance.now() - started).toBeLessThan(2000);
      const first = /data: (.+)\n/.exec(text)?.[1] ?? '';
      expect(AdminStats.parse(JSON.parse(first)).images_processed.total).toBe(19);
      await reader.cancel();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
