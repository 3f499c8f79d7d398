import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelListQuery } from '@inkwell/contracts';
import { createDb, type Db } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { registerDefaultModels } from './default-models';
import { ModelVersionsStore } from './model-versions.store';

// The repository's shipped models, as a fresh clone has them.
const SHIPPED = resolve(import.meta.dirname, '../../../../models');
const shippedFolders = readdirSync(SHIPPED, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

let env: TestEnv;
let db: Db;
let dataDir: string;
let versions: ModelVersionsStore;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'default-models-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'ml', poolMax: 4 });
  versions = new ModelVersionsStore(db, { dataDir });
}, 60_000);

afterAll(async () => {
  await db.destroy();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const register = () => registerDefaultModels({ db, versions, dataDir, modelDir: SHIPPED, logger: createLogger('test', 'silent'), signal: new AbortController().signal, kick: () => undefined });
const all = async () => (await versions.list(ModelListQuery.parse({ page_size: '100' }))).items;

describe('the shipped default models', () => {
  it('are registered as builtin versions by the system, each with its model.onnx copied, hashed and queued for evaluation', async () => {
    expect(shippedFolders).toEqual(['cnn-f-v1', 'cnn-g-v1', 'cnn-h-v1', 'resnet-b-v1', 'resnet-c-v1']);
    const outcome = await register();
    expect(outcome.registered.sort()).toEqual(shippedFolders);
    const items = await all();
    expect(items.map((v) => v.name).sort()).toEqual(shippedFolders);
    for (const v of items) {
      const onnx = readFileSync(join(SHIPPED, v.name, 'model.onnx'));
      expect(v).toMatchObject({ source: 'builtin', created_by: null, job_id: null, status: 'evaluating', active: false, dataset_id: 'mnist', test_set: 'mnist:test', size_bytes: onnx.length, metrics: null });
      expect(v.sha256).toBe(createHash('sha256').update(onnx).digest('hex'));
      expect(['cnn', 'resnet']).toContain(v.family);
      expect(v.seed).toEqual(expect.any(Number));
      expect(v.hyperparameters).toHaveProperty('arch');
      expect(readFileSync(join(dataDir, v.artifact_path, 'model.onnx')).equals(onnx)).toBe(true);
    }
    // One evaluation job per version waits in the outbox.
    const jobs = await db('outbox').select('payload');
    const evaluations = jobs.map((j: { payload: { name?: string; payload?: { model_version_id?: string } } }) => j.payload).filter((p) => p.name === 'evaluate-model');
    expect(evaluations.map((p) => p.payload?.model_version_id).sort()).toEqual(items.map((v) => v.id).sort());
  });

  it('are not registered twice, by a restart or by trainers starting together, and the losers leave no files', async () => {
    const before = await all();
    const outcomes = await Promise.all([register(), register(), register()]);
    for (const o of outcomes) expect(o.registered).toEqual([]);
    const after = await all();
    expect(after.map((v) => v.id).sort()).toEqual(before.map((v) => v.id).sort());
    const folders = readdirSync(join(dataDir, 'models'));
    expect(folders.sort()).toEqual(before.map((v) => v.id).sort());
  });

  it('a race past the existence check still yields one row per model: the unique index decides', async () => {
    const v = (await all())[0];
    const sha256 = v?.sha256;
    if (!v || !sha256) throw new Error('no builtin version');
    const again = await db.transaction((trx) =>
      versions.insertUntrained(trx, { id: crypto.randomUUID(), source: 'builtin', name: v.name, family: v.family, hyperparameters: {}, seed: null, datasetId: 'mnist', split: {}, testSet: 'mnist:test', artifactPath: 'models/x', sizeBytes: 1, sha256, createdBy: null }),
    );
    expect(again).toBe(false);
    expect(await all()).toHaveLength(shippedFolders.length);
    expect(existsSync(join(dataDir, 'models/x'))).toBe(false);
  });

  it('lists with filters, sorting and pages', async () => {
    const q = (raw: Record<string, string>) => versions.list(ModelListQuery.parse(raw));
    expect((await q({ family: 'resnet' })).items.map((v) => v.name).sort()).toEqual(['resnet-b-v1', 'resnet-c-v1']);
    expect((await q({ source: 'trained' })).total).toBe(0);
    expect((await q({ active: 'true' })).total).toBe(0);
    expect((await q({ status: 'evaluating' })).total).toBe(5);
    const page1 = await q({ page_size: '2', sort: 'created_at', order: 'asc' });
    const page3 = await q({ page_size: '2', page: '3', sort: 'created_at', order: 'asc' });
    expect(page1.total).toBe(5);
    expect(page1.items).toHaveLength(2);
    expect(page3.items).toHaveLength(1);
    const ids = [...page1.items, ...(await q({ page_size: '2', page: '2', sort: 'created_at', order: 'asc' })).items, ...page3.items].map((v) => v.id);
    expect(new Set(ids).size).toBe(5);
  });
});
