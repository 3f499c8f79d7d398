import { signIdentity } from '@inkwell/auth-guard';
import { CommonEnv, host, port } from '@inkwell/config';
import { IDENTITY_HEADER, type Identity } from '@inkwell/contracts';
import type { Migration } from '@inkwell/db';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { z } from 'zod';
import { defineService, type ServiceContext } from './service-definition';
import { startService } from './start-service';

const ProbeEnv = CommonEnv.extend({ PROBE_PORT: port(8099), PROBE_HOST: host() });
type ProbeEnv = z.infer<typeof ProbeEnv>;

const createNotes: Migration = {
  name: '20260101000000_create-notes',
  up: (db) => db.schema.createTable('notes', (t) => t.increments('id').primary()),
  down: (db) => db.schema.dropTable('notes'),
};

const ADMIN: Identity = { kind: 'user', sub: 'u1', role: 'admin', email: null, session_id: null, ip: '127.0.0.1', user_agent: null };

/** A service defined here, recording what the runtime does with it. */
function probeService() {
  const seen = { builds: [] as ServiceContext<ProbeEnv>[], started: 0, stopped: 0 };
  const def = defineService({
    name: 'probe',
    env: ProbeEnv,
    port: (c) => c.PROBE_PORT,
    schema: 'probe',
    migrations: [createNotes],
    build: (ctx) => {
      seen.builds.push(ctx);
      return {
        routes: (app) => app.get('/notes/count', async (_req, res) => res.json({ count: (await ctx.db('notes').count({ n: '*' }))[0]?.n, started: seen.started })),
        readiness: { probe: async () => ({ fine: true }) },
        start: () => void seen.started++,
        stop: async () => void seen.stopped++,
        exposes: { greeting: 'hello' },
      };
    },
  });
  return { def, seen };
}

describe('defineService + startService', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(() => env.cleanup());

  it('migrates the schema, builds once with the context, starts before listening, and stops on close', async () => {
    const { def, seen } = probeService();
    const svc = await startService(def, { env: env.env });
    try {
      expect(seen.builds).toHaveLength(1);
      const ctx = seen.builds[0];
      expect(ctx).toBe(svc.ctx);
      expect(ctx?.config.REDIS_PREFIX).toBe(env.redisPrefix);
      expect(svc.exposes.greeting).toBe('hello');

      // The migration ran in the service's own schema, through the context's database.
      expect(await svc.ctx.db.schema.withSchema('probe').hasTable('notes')).toBe(true);

      const ready = await fetch(`${svc.url}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { dependencies: Record<string, { ok: boolean }> };
      expect(Object.keys(body.dependencies).sort()).toEqual(['postgres', 'probe', 'redis']);

      // Feature routes sit behind the gateway identity check; `start` ran before the first request.
      expect((await fetch(`${svc.url}/notes/count`)).status).toBe(401);
      const res = await fetch(`${svc.url}/notes/count`, { headers: { [IDENTITY_HEADER]: signIdentity(ADMIN, svc.ctx.config.INTERNAL_TOKEN_SECRET) } });
      expect(await res.json()).toEqual({ count: 0, started: 1 });
      expect(seen.stopped).toBe(0);
    } finally {
      await svc.close();
    }
    expect(seen.stopped).toBe(1);
    // Redis and the database are closed after the background work stopped.
    const redis = svc.ctx.redis;
    await new Promise((resolve) => (redis.status === 'end' ? resolve(null) : redis.once('end', resolve)));
    await expect(svc.ctx.db.raw('select 1')).rejects.toThrow();
    expect(seen.builds).toHaveLength(1);
  });

  it('gives a service without a schema no database, and a public one no identity check', async () => {
    let built = 0;
    const edge = defineService({
      name: 'probe',
      env: ProbeEnv,
      port: (c) => c.PROBE_PORT,
      schema: null,
      exposure: 'public',
      build: (ctx) => {
        built++;
        expect('db' in ctx).toBe(false);
        return { routes: (app) => app.get('/hello', (_req, res) => res.json({ hello: true })) };
      },
    });
    const svc = await startService(edge, { env: env.env });
    try {
      expect(built).toBe(1);
      const body = (await (await fetch(`${svc.url}/readyz`)).json()) as { dependencies: Record<string, unknown> };
      expect(Object.keys(body.dependencies)).toEqual(['redis']);
      expect(await (await fetch(`${svc.url}/hello`)).json()).toEqual({ hello: true });
    } finally {
      await svc.close();
    }
  });

  it('exports the depth of the queues a service owns on its /metrics', async () => {
    let queue: Queue | undefined;
    const owner = defineService({
      name: 'probe',
      env: ProbeEnv,
      port: (c) => c.PROBE_PORT,
      schema: null,
      build: (ctx) => {
        queue = new Queue('probe-jobs', { connection: ctx.redis, prefix: ctx.config.REDIS_PREFIX });
        return { queues: [queue], stop: async () => queue?.close() };
      },
    });
    const svc = await startService(owner, { env: env.env });
    try {
      await queue?.add('one', { n: 1 });
      await queue?.add('two', { n: 2 }, { delay: 60_000 });
      const text = await (await fetch(`${svc.url}/metrics`)).text();
      expect(text).toMatch(/bullmq_queue_jobs\{queue="probe-jobs",state="waiting"[^}]*\} 1\n/);
      expect(text).toMatch(/bullmq_queue_jobs\{queue="probe-jobs",state="delayed"[^}]*\} 1\n/);
      expect(text).toMatch(/bullmq_queue_jobs\{queue="probe-jobs",state="active"[^}]*\} 0\n/);
    } finally {
      await queue?.obliterate({ force: true });
      await svc.close();
    }
  });

  it('releases what it opened when start fails', async () => {
    const { def } = probeService();
    let stopped = 0;
    const failing = { ...def, build: (ctx: ServiceContext<ProbeEnv>) => ({ ...def.build(ctx), start: () => Promise.reject(new Error('no')), stop: async () => void stopped++ }) };
    await expect(startService(failing, { env: env.env })).rejects.toThrow('no');
    expect(stopped).toBe(1);
  });
});
