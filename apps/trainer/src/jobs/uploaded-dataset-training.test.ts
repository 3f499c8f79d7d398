import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, DatasetUploadFields, type Identity, ModelManifest } from '@inkwell/contracts';
import { mnistSample, writeIdxPair } from '@inkwell/datasets/testing';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, createTestQueues, type TestEnv, type TestQueues } from '@inkwell/testing';
import { trainerService } from '../service';

/* A job on an uploaded dataset, end to end inside one trainer: upload, validation, training, version. */

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let queues: TestQueues;
let dataDir: string;
let fixtures: string;
let trainer: Trainer;

const engineer: Identity = { kind: 'user', sub: '00000000-0000-4000-8000-00000000000a', role: 'engineer', email: 'a@test', session_id: null, ip: '127.0.0.1', user_agent: null };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'uploaded-training-'));
  fixtures = mkdtempSync(join(tmpdir(), 'uploaded-training-fixtures-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  queues = createTestQueues(env.redisPrefix);
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer-test', 'silent'), poolMax: 4 });
}, 120_000);

afterAll(async () => {
  await trainer.close();
  await queues.cleanup();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(fixtures, { recursive: true, force: true });
});

/** Stores the files as the upload route would, then records the dataset (validation starts on the `cpu` queue). */
async function upload(files: readonly { path: string; name: string }[]): Promise<Dataset> {
  const { blobs, datasets } = trainer.exposes;
  const stored = await Promise.all(files.map(async (f) => ({ ...(await blobs.putFile(f.path)), name: f.name })));
  return datasets.create(engineer, DatasetUploadFields.parse({ name: 'digits-1500' }), stored.map((s) => ({ name: s.name, hash: s.hash, size_bytes: s.size })));
}

/** Polls (bounded) until validation has decided. */
async function settled(id: string, ms = 60_000): Promise<Dataset> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 100))) {
    const d = await trainer.exposes.datasets.get(engineer, id);
    if (d.status !== 'validating') return d;
  }
  throw new Error(`dataset ${id} still validating after ${ms} ms`);
}

describe('training on an uploaded dataset', () => {
  it('1500 uploaded digits, 1 epoch of mlp: the job completes; its version names the dataset and its split and is scored on that split\'s test part', async () => {
    const { trainingJobs, datasets } = trainer.exposes;
    const dataset = await settled((await upload(writeIdxPair(fixtures, mnistSample(1500)))).id);
    expect(dataset.status).toBe('ready');
    const split = dataset.split;
    if (!split) throw new Error('a ready dataset without a split');
    expect(split.counts.test).toBeGreaterThan(0);

    const job = await trainingJobs.create(engineer, { dataset_id: dataset.id, family: 'mlp', hyperparameters: {}, epochs: 1, seed: 7 });
    expect(job.split).toMatchObject({ id: split.index_hash, index_hash: split.index_hash });
    // While it is queued or running, the dataset cannot go.
    await expect(datasets.delete(engineer, dataset.id)).rejects.toMatchObject({ code: 'conflict', details: { job_id: job.id } });

    const finished = await queues.waitForJob('gpu', job.id, 180_000);
    expect(finished.state, finished.state === 'failed' ? finished.failedReason : '').toBe('completed');
    const done = await trainingJobs.get(engineer, job.id);
    expect(done.status).toBe('completed');
    const version = done.model_version;
    if (!version) throw new Error('no model version');
    expect(version.dataset_id).toBe(dataset.id);
    expect(version.split).toMatchObject({ index_hash: split.index_hash, counts: split.counts });
    expect(version.metrics.count).toBe(split.counts.test);
    // Compare pairs versions by this key: only ones scored on this very split's test part.
    expect((await trainer.exposes.versions.find(version.id))?.view.test_set).toBe(`${dataset.id}:${split.index_hash}`);
    // Far from good after one epoch on 1200 digits, but better than chance.
    expect(version.metrics.accuracy).toBeGreaterThan(0.3);

    // The artifact's recipe names the dataset and split rather than claiming MNIST.
    const manifest = ModelManifest.parse(JSON.parse(readFileSync(join(dataDir, version.artifact_path, 'manifest.json'), 'utf8')));
    expect(manifest.hyperparameters?.data).toMatchObject({ source: 'dataset', dataset: { id: dataset.id, splitHash: split.index_hash } });

    // Finished: now it may be deleted.
    await datasets.delete(engineer, dataset.id);
    await expect(datasets.get(engineer, dataset.id)).rejects.toMatchObject({ code: 'not_found' });
  }, 240_000);
});
