import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '@inkwell/auth-guard';
import { ErrorBody, IDENTITY_HEADER, TuningJob, TuningJobList, TuningSpaces, TuningSummary, TuningTrialPage, type Identity } from '@inkwell/contracts';
import { createDb, type Db } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { trainerService } from '../service';
import { seedTuningStudy } from '../testing/seed-tuning-study';

/* The tuning pages' reads on a study of 2,000 trials: pages of trials sorted in SQL, a columnar summary, the default spaces. */

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let dataDir: string;
let trainer: Trainer;
let db: Db;
let studyId: string;
const TRIALS = 2000;
const identity = (sub: string): Identity => ({ kind: 'user', sub, role: 'engineer', email: `${sub}@test`, session_id: null, ip: '127.0.0.1', user_agent: null });
const owner = identity('00000000-0000-4000-8000-0000000000a1');
const other = identity('00000000-0000-4000-8000-0000000000b2');

/** The seed's objective for trial g (null: failed). */
const valueOf = (g: number): number | null => (g % 50 === 49 ? null : 0.8 + ((g * 7919) % 1000) / 10000);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tuning-pages-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer-test', 'silent'), poolMax: 2 });
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: trainerService.schema, poolMax: 1 });
  studyId = await seedTuningStudy(db, { ownerId: owner.sub ?? '', trials: TRIALS });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await trainer?.close();
  await env?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (who: Identity, path: string, query: Record<string, string | number> = {}) =>
  request(trainer.app).get(path).query(query).set(IDENTITY_HEADER, signIdentity(who, trainer.ctx.config.INTERNAL_TOKEN_SECRET));

describe('the tuning pages\' reads', () => {
  it('pages trials by index and by objective, with the total, never overlapping; bad paging is a 400', async () => {
    const first = TuningTrialPage.parse((await get(owner, `/api/tuning/${studyId}/trials`, { limit: 25 })).body);
    expect(first.total).toBe(TRIALS);
    expect(first.items.map((t) => t.index)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const last = TuningTrialPage.parse((await get(owner, `/api/tuning/${studyId}/trials`, { offset: TRIALS - 10, limit: 25 })).body);
    expect(last.items.map((t) => t.index)).toEqual(Array.from({ length: 10 }, (_, i) => TRIALS - 10 + i));
    const newest = TuningTrialPage.parse((await get(owner, `/api/tuning/${studyId}/trials`, { order: 'desc', limit: 3 })).body);
    expect(newest.items.map((t) => t.index)).toEqual([TRIALS - 1, TRIALS - 2, TRIALS - 3]);

    const expected = Array.from({ length: TRIALS }, (_, g) => ({ g, v: valueOf(g) }))
      .filter((x): x is { g: number; v: number } => x.v !== null)
      .sort((a, b) => b.v - a.v || a.g - b.g)
      .map((x) => x.g);
    const best = TuningTrialPage.parse((await get(owner, `/api/tuning/${studyId}/trials`, { sort: 'value', order: 'desc', limit: 50 })).body);
    const next = TuningTrialPage.parse((await get(owner, `/api/tuning/${studyId}/trials`, { sort: 'value', order: 'desc', offset: 50, limit: 50 })).body);
    expect([...best.items, ...next.items].map((t) => t.index)).toEqual(expected.slice(0, 100));
    // Ascending by objective still puts the failed (unrated) trials last.
    const worstLast = TuningTrialPage.parse((await get(owner, `/api/tuning/${studyId}/trials`, { sort: 'value', order: 'asc', offset: TRIALS - 5, limit: 5 })).body);
    expect(worstLast.items.every((t) => t.value === null && t.status === 'failed')).toBe(true);

    const bads: Record<string, string | number>[] = [{ limit: 0 }, { limit: 201 }, { offset: -1 }, { sort: 'params' }, { order: 'up' }];
    for (const bad of bads) {
      const res = await get(owner, `/api/tuning/${studyId}/trials`, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(ErrorBody.parse(res.body).code).toBe('validation_failed');
    }
    expect((await get(other, `/api/tuning/${studyId}/trials`)).status).toBe(404);
  });

  it('summarises the study as columns, counts and generations, much smaller than the full record, and the list carries the best trial', async () => {
    const res = await get(owner, `/api/tuning/${studyId}/summary`);
    expect(res.status).toBe(200);
    const s = TuningSummary.parse(res.body);
    expect(s.columns.index).toHaveLength(TRIALS);
    expect(s.columns.value[7]).toBeCloseTo(valueOf(7) ?? NaN, 9);
    expect(s.columns.value[49]).toBeNull();
    expect(s.columns.params.gamma?.[1]).toBeNull();
    expect(typeof s.columns.params.gamma?.[0]).toBe('number');
    expect(s.counts).toMatchObject({ completed: TRIALS - TRIALS / 50, failed: TRIALS / 50, running: 0 });
    const values = s.columns.value.filter((v): v is number => v !== null);
    expect(s.study.best?.value).toBe(Math.max(...values));
    // 500 + 450 + 450 + 450 + 150: generation 4 has begun.
    expect(s.generations?.map((g) => g.generation)).toEqual([0, 1, 2, 3, 4]);
    expect(s.generations?.[0]?.trial_indices).toHaveLength(500);

    const full = await get(owner, `/api/tuning/${studyId}`);
    expect(TuningJob.parse(full.body).trials).toHaveLength(TRIALS);
    const [small, big] = [JSON.stringify(res.body).length, JSON.stringify(full.body).length];
    console.info(`${TRIALS} trials: summary ${small} bytes, full study ${big} bytes`);
    expect(small * 3).toBeLessThan(big);

    const list = TuningJobList.parse((await get(owner, '/api/tuning')).body);
    expect(list.items.find((j) => j.id === studyId)?.best?.value).toBe(s.study.best?.value);
    expect((await get(other, `/api/tuning/${studyId}/summary`)).status).toBe(404);
  });

  it('gives each family\'s default search space', async () => {
    const spaces = TuningSpaces.parse((await get(owner, '/api/tuning/spaces')).body);
    expect(spaces.items.map((i) => i.family).sort()).toEqual(['cnn', 'lenet5', 'mlp', 'random_forest', 'resnet', 'resnet18', 'svm']);
    expect(spaces.items.find((i) => i.family === 'svm')?.space.C).toMatchObject({ kind: 'float', log: true });
  });
});
