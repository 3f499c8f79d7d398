import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type DatasetStatus, type Identity, JobListQuery, type TrainingJob } from '@inkwell/contracts';
import { createDb, type Db } from '@inkwell/db';
import { makeSplit } from '@inkwell/datasets';
import { createTestEnv, createTestQueues, type TestEnv, type TestQueues } from '@inkwell/testing';
import { DatasetsService } from '../datasets/datasets.service';
import { DatasetsStore } from '../datasets/datasets.store';
import { ModelVersionsStore } from '../models/model-versions.store';
import { LocalBlobStore } from '../storage/local-blob-store';
import { JobCancels } from './job-cancels';
import { JobEvents } from './job-events';
import { TrainingJobsService } from './training-jobs.service';
import { TrainingJobsStore } from './training-jobs.store';

/*
 * The rules around training jobs that need no training: no worker and no outbox relay run here,
 * so every job created stays `queued` until the test itself moves it.
 */

let env: TestEnv;
let queues: TestQueues;
let db: Db;
let dataDir: string;
let jobs: TrainingJobsService;
let store: TrainingJobsStore;
let datasets: DatasetsService;
let datasetsStore: DatasetsStore;

const identity = (sub: string, role: 'engineer' | 'admin' = 'engineer'): Identity => ({ kind: 'user', sub, role, email: `${sub}@test`, session_id: null, ip: '127.0.0.1', user_agent: null });
const engineerA = identity('00000000-0000-4000-8000-00000000000a');
const engineerB = identity('00000000-0000-4000-8000-00000000000b');
const admin = identity('00000000-0000-4000-8000-0000000000ad', 'admin');

// The family's defaults: whatever names its hyperparameters take, none are needed here.
const tinyMlp = { family: 'mlp' as const, hyperparameters: {}, epochs: 1, seed: 1 };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'training-rules-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  queues = createTestQueues(env.redisPrefix);
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'ml', poolMax: 6 });
  store = new TrainingJobsStore(db);
  datasetsStore = new DatasetsStore(db);
  const events = new JobEvents(queues.connection, env.redisPrefix);
  jobs = new TrainingJobsService(db, store, new ModelVersionsStore(db), () => undefined, events, new JobCancels(queues.connection, env.env.REDIS_URL ?? '', queues.queue('gpu')));
  datasets = new DatasetsService(db, datasetsStore, new LocalBlobStore(dataDir), () => undefined);
}, 60_000);

afterAll(async () => {
  await db.destroy();
  await queues.cleanup();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A dataset row as validation leaves it (no files needed: nothing here trains). */
async function seedDataset(owner: Identity, status: DatasetStatus): Promise<string> {
  const labels = Uint8Array.from({ length: 200 }, (_, i) => i % 10);
  const spec = { method: 'stratified' as const, seed: 0, validation_fraction: 0.1, test_fraction: 0.1 };
  const d = await db.transaction((trx) =>
    datasetsStore.insert(trx, {
      name: `seeded-${status}`,
      description: '',
      ownerId: owner.sub,
      builtIn: false,
      format: 'idx',
      status,
      sizeBytes: 1,
      files: { items: [], layout: null, split_spec: spec },
      split: status === 'ready' ? makeSplit(labels, spec).record : undefined,
      normalized: status === 'ready' ? { images: 'a'.repeat(64), labels: 'b'.repeat(64) } : undefined,
    }),
  );
  return d.view.id;
}

/** Moves every still-queued job out of the way of the next test. */
const cancelQueued = async (): Promise<void> => {
  await db('training_jobs').whereIn('status', ['queued', 'running']).update({ status: 'cancelled', finished_at: db.fn.now() });
};

describe('which datasets a job may train on', () => {
  it('a ready uploaded dataset of one\'s own: queued, naming the dataset\'s split record in the job and the gpu payload', async () => {
    const id = await seedDataset(engineerA, 'ready');
    const stored = await datasetsStore.get(id);
    const record = stored?.view.split;
    if (!record) throw new Error('no split stored');
    const job = await jobs.create(engineerA, { ...tinyMlp, dataset_id: id });
    expect(job.status).toBe('queued');
    expect(job.dataset_id).toBe(id);
    expect(job.split).toMatchObject({ id: record.index_hash, index_hash: record.index_hash, counts: record.counts, spec: record.spec, train_limit: null });
    const outbox: unknown = await db('outbox').where({ topic: 'job' }).whereRaw(`payload->'payload'->>'job_id' = ?`, [job.id]).first('payload');
    expect(outbox).toMatchObject({ payload: { payload: { dataset_id: id, split_id: record.index_hash } } });
    await cancelQueued();
  });

  it('still validating or invalid: 409 conflict naming the status', async () => {
    for (const status of ['validating', 'invalid'] as const) {
      const id = await seedDataset(engineerA, status);
      const err = await jobs.create(engineerA, { ...tinyMlp, dataset_id: id }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'conflict', details: { dataset_id: id, status } });
      expect((err as AppError).message).toContain(status);
    }
  });

  it('another engineer\'s dataset, a deleted one, an unknown id: 404 not_found; an admin may train on anyone\'s', async () => {
    const bs = await seedDataset(engineerB, 'ready');
    await expect(jobs.create(engineerA, { ...tinyMlp, dataset_id: bs })).rejects.toMatchObject({ code: 'not_found' });
    await expect(jobs.create(engineerA, { ...tinyMlp, dataset_id: '5b1c0f9e-8d6a-4c3b-9e2f-1a2b3c4d5e6f' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(jobs.create(engineerA, { ...tinyMlp, dataset_id: 'not-a-dataset' })).rejects.toMatchObject({ code: 'not_found' });
    const mine = await seedDataset(engineerA, 'ready');
    await datasets.delete(engineerA, mine);
    await expect(jobs.create(engineerA, { ...tinyMlp, dataset_id: mine })).rejects.toMatchObject({ code: 'not_found' });
    expect((await jobs.create(admin, { ...tinyMlp, dataset_id: bs })).status).toBe('queued');
    await cancelQueued();
  });
});

describe('deleting a dataset a job uses', () => {
  it('409 while a queued or running job uses it (details name the job); deleted once the job has finished', async () => {
    const id = await seedDataset(engineerA, 'ready');
    const job = await jobs.create(engineerA, { ...tinyMlp, dataset_id: id });
    const queued = await datasets.delete(engineerA, id).catch((e: unknown) => e);
    expect(queued).toMatchObject({ code: 'conflict', details: { job_id: job.id } });
    expect((queued as AppError).message).toMatch(/job/i);
    await db('training_jobs').where({ id: job.id }).update({ status: 'running', started_at: db.fn.now() });
    // The admin is refused too: the rule is about the job, not who asks.
    await expect(datasets.delete(admin, id)).rejects.toMatchObject({ code: 'conflict', details: { job_id: job.id } });
    expect((await datasets.get(engineerA, id)).id).toBe(id);
    await jobs.cancel(engineerA, job.id);
    await datasets.delete(engineerA, id);
    await expect(datasets.get(engineerA, id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a job started while the dataset is being deleted: never both (a job on a deleted dataset)', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, () => seedDataset(engineerA, 'ready')));
    const outcomes = await Promise.all(
      ids.map(async (id) => {
        const [created, deleted] = await Promise.allSettled([jobs.create(engineerA, { ...tinyMlp, dataset_id: id }), datasets.delete(engineerA, id)]);
        return { id, created: created.status === 'fulfilled', deleted: deleted.status === 'fulfilled' };
      }),
    );
    for (const o of outcomes) expect(o.created !== o.deleted, JSON.stringify(o)).toBe(true);
    const onDeleted: unknown[] = await db('training_jobs').join('datasets', 'datasets.id', db.raw('training_jobs.dataset_id::uuid')).whereNotNull('datasets.deleted_at').whereIn('training_jobs.status', ['queued', 'running']).select('training_jobs.id');
    expect(onDeleted).toEqual([]);
    await cancelQueued();
  });
});

describe('GET /api/jobs owner filter', () => {
  it('an admin filters by owner; an engineer naming another owner gets an empty list, never their jobs', async () => {
    const a = await jobs.create(engineerA, { ...tinyMlp, dataset_id: 'mnist' });
    const b = await jobs.create(engineerB, { ...tinyMlp, dataset_id: 'mnist' });
    const ids = (list: { items: { id: string; owner_id: string | null }[] }): string[] => list.items.map((j) => j.id);
    const byA = await jobs.list(admin, JobListQuery.parse({ owner: engineerA.sub }));
    expect(ids(byA)).toContain(a.id);
    expect(ids(byA)).not.toContain(b.id);
    expect(new Set(byA.items.map((j) => j.owner_id))).toEqual(new Set([engineerA.sub]));
    expect(ids(await jobs.list(admin, JobListQuery.parse({ owner: engineerB.sub, status: 'queued' })))).toEqual([b.id]);
    expect((await jobs.list(engineerA, JobListQuery.parse({ owner: engineerB.sub }))).items).toEqual([]);
    expect(ids(await jobs.list(engineerA, JobListQuery.parse({ owner: engineerA.sub })))).toContain(a.id);
    // Not a user id: refused at the boundary (400), not a database error.
    expect(JobListQuery.safeParse({ owner: 'someone' }).success).toBe(false);
    await cancelQueued();
  });
});

describe('queue position and ETA while queued', () => {
  it('positions 1, 2, 3; no ETA before any job finished; then the mean of recent durations times the rounds of the gpu queue\'s two slots', async () => {
    await cancelQueued();
    const created: TrainingJob[] = [];
    for (let i = 0; i < 3; i++) created.push(await jobs.create(engineerA, { ...tinyMlp, dataset_id: 'mnist', seed: i }));
    const view = () => Promise.all(created.map((j) => jobs.get(engineerA, j.id)));
    let seen = await view();
    expect(seen.map((j) => j.queue_position)).toEqual([1, 2, 3]);
    expect(seen.map((j) => j.eta_s)).toEqual([null, null, null]);

    // Two finished jobs took 10 s and 20 s: a mean of 15 s.
    for (const [n, seconds] of [10, 20].entries()) {
      const done = await jobs.create(engineerB, { ...tinyMlp, dataset_id: 'mnist', seed: 100 + n });
      await db('training_jobs')
        .where({ id: done.id })
        .update({ status: 'completed', started_at: db.raw(`now() - interval '${seconds + 60} seconds'`), finished_at: db.raw(`now() - interval '60 seconds'`) });
    }
    // Both slots free: the first two start at once and finish in one mean; the third waits one round.
    seen = await view();
    expect(seen.map((j) => j.queue_position)).toEqual([1, 2, 3]);
    expect(seen.map((j) => j.eta_s)).toEqual([15, 15, 30]);

    // One slot taken by a running job: only the first starts at once.
    const running = await jobs.create(engineerB, { ...tinyMlp, dataset_id: 'mnist', seed: 200 });
    await db('training_jobs').where({ id: running.id }).update({ status: 'running', started_at: db.fn.now() });
    seen = await view();
    expect(seen.map((j) => j.queue_position)).toEqual([1, 2, 3]);
    expect(seen.map((j) => j.eta_s)).toEqual([15, 30, 30]);

    // Not queued any more: neither position nor ETA.
    const first = created[0];
    if (!first) throw new Error('no job');
    await jobs.cancel(engineerA, first.id);
    seen = await view();
    expect(seen.map((j) => j.queue_position)).toEqual([null, 1, 2]);
    expect(seen[0]?.eta_s).toBeNull();
    await cancelQueued();
  });
});
