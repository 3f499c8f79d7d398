import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '@inkwell/auth-guard';
import { type Dataset, DatasetUploadFields, IDENTITY_HEADER, type Identity, ModelComparisonView } from '@inkwell/contracts';
import { mnistSample, writeIdxPair } from '@inkwell/datasets/testing';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, createTestQueues, type TestEnv, type TestQueues } from '@inkwell/testing';
import { trainerService } from '../service';

/* Compare on an uploaded dataset's split: the labels come from its normalized copy cut by the split record. */

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let queues: TestQueues;
let dataDir: string;
let fixtures: string;
let trainer: Trainer;

const engineer: Identity = { kind: 'user', sub: '00000000-0000-4000-8000-00000000000b', role: 'engineer', email: 'b@test', session_id: null, ip: '127.0.0.1', user_agent: null };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'compare-uploaded-'));
  fixtures = mkdtempSync(join(tmpdir(), 'compare-uploaded-fixtures-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  queues = createTestQueues(env.redisPrefix);
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer-test', 'silent'), poolMax: 4 });
}, 120_000);

afterAll(async () => {
  await trainer?.close();
  await queues?.cleanup();
  await env?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(fixtures, { recursive: true, force: true });
});

async function readyDataset(): Promise<Dataset> {
  const { blobs, datasets } = trainer.exposes;
  const stored = await Promise.all(writeIdxPair(fixtures, mnistSample(1000)).map(async (f) => ({ ...(await blobs.putFile(f.path)), name: f.name })));
  const created = await datasets.create(engineer, DatasetUploadFields.parse({ name: 'digits-1000' }), stored.map((s) => ({ name: s.name, hash: s.hash, size_bytes: s.size })));
  for (const start = Date.now(); Date.now() - start < 60_000; await new Promise((r) => setTimeout(r, 100))) {
    const d = await datasets.get(engineer, created.id);
    if (d.status !== 'validating') return d;
  }
  throw new Error('dataset still validating');
}

async function trainedVersion(datasetId: string, seed: number): Promise<string> {
  const job = await trainer.exposes.trainingJobs.create(engineer, { dataset_id: datasetId, family: 'mlp', hyperparameters: {}, epochs: 1, seed });
  const finished = await queues.waitForJob('gpu', job.id, 180_000);
  expect(finished.state, finished.state === 'failed' ? finished.failedReason : '').toBe('completed');
  const id = (await trainer.exposes.trainingJobs.get(engineer, job.id)).model_version?.id;
  if (!id) throw new Error('no model version');
  return id;
}

describe('compare on an uploaded dataset\'s test split', () => {
  it('two versions trained on the same uploaded split compare (200) on that split\'s test part, with its labels', async () => {
    const dataset = await readyDataset();
    const split = dataset.split;
    if (dataset.status !== 'ready' || !split) throw new Error(`dataset is ${dataset.status}`);
    const a = await trainedVersion(dataset.id, 1);
    const b = await trainedVersion(dataset.id, 2);
    const [va, vb] = await Promise.all([a, b].map(async (id) => (await trainer.exposes.versions.find(id))?.view));

    const res = await request(trainer.app).get('/api/models/compare').query({ a, b }).set(IDENTITY_HEADER, signIdentity(engineer, trainer.ctx.config.INTERNAL_TOKEN_SECRET));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const cmp = ModelComparisonView.parse(res.body);
    expect(cmp.test_set).toBe(`${dataset.id}:${split.index_hash}`);
    expect(cmp.count).toBe(split.counts.test);
    expect([cmp.a.accuracy, cmp.b.accuracy]).toEqual([va?.accuracy, vb?.accuracy]);
    // The confusion matrices are built from the split's labels: each row sums to that digit's test images, the same for A and B.
    const rows = (m: number[][]) => m.map((r) => r.reduce((x, y) => x + y, 0));
    expect(rows(cmp.confusion.a)).toEqual(rows(cmp.confusion.b));
    expect(rows(cmp.confusion.a).reduce((x, y) => x + y, 0)).toBe(split.counts.test);
    // A's diagonal is the images A gets right: its accuracy again, from the labels loaded here.
    expect(cmp.confusion.a.reduce((s, r, i) => s + (r[i] ?? 0), 0) / split.counts.test).toBeCloseTo(va?.accuracy ?? -1, 10);
  }, 300_000);
});
