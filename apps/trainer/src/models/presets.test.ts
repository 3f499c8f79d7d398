import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '@inkwell/auth-guard';
import { BenchmarkRecord, FamilyList, IDENTITY_HEADER, MNIST_NORMALIZATION, ModelList, ModelManifest, ModelVersion, PresetModelList, TrainingJob, type Identity } from '@inkwell/contracts';
import { createDb, type Db } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { mnistTest } from '@inkwell/model-artifacts';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { buildEngine } from '../benchmarks/engine-sessions';
import { batchInputs, measureCell } from '../benchmarks/measure-cell';
import { trainerService } from '../service';
import { presetArtifact, registerPresetModels } from './preset-models';

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let dataDir: string;
let modelDir: string;
let trainer: Trainer;
let db: Db;

const who = (role: 'viewer' | 'engineer' | 'admin'): Identity => ({ kind: 'user', sub: `00000000-0000-4000-8000-0000000000${role === 'admin' ? 'ad' : role === 'engineer' ? 'e1' : 'f1'}`, role, email: `${role}@test`, session_id: null, ip: '127.0.0.1', user_agent: null });
const as = (identity: Identity) => ({ [IDENTITY_HEADER]: signIdentity(identity, trainer.ctx.config.INTERNAL_TOKEN_SECRET) });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'presets-'));
  // No shipped models: only the presets are registered at start, and only LeNet-5 (ResNet-18's
  // background scoring of 10,000 digits would take the CPUs for minutes).
  modelDir = mkdtempSync(join(tmpdir(), 'presets-no-defaults-'));
  env = await createTestEnv({ DATA_DIR: dataDir, TRAINER_REGISTER_DEFAULT_MODELS: 'true', TRAINER_DEFAULT_MODEL_DIR: modelDir, TRAINER_PRESETS: 'lenet5' });
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer-test', 'silent'), poolMax: 4 });
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'ml', poolMax: 2 });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await trainer?.close();
  await env?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(modelDir, { recursive: true, force: true });
});

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const presets = async () => PresetModelList.parse((await request(trainer.app).get('/api/models/presets').set(as(who('viewer')))).body);

describe('preset models', () => {
  let lenet: ModelVersion;

  it('lists LeNet-5 and ResNet-18 as untrained presets; LeNet-5 is registered and scored near chance', async () => {
    const listed = await until(presets, (l) => l.items.find((p) => p.name === 'lenet5')?.version?.status === 'ready', 120_000);
    expect(listed.items.map((p) => [p.name, p.family, p.parameters, p.trained])).toEqual([
      ['lenet5', 'lenet5', 61_706, false],
      ['resnet18', 'resnet18', 11_172_810, false],
    ]);
    expect(listed.items[0]?.input).toEqual({ name: 'image', dtype: 'float32', shape: ['N', 1, 28, 28] });
    expect(listed.items[0]?.output).toEqual({ name: 'probs', dtype: 'float32', shape: ['N', 10] });
    // This trainer registers LeNet-5 only (TRAINER_PRESETS).
    expect(listed.items[1]?.version).toBeNull();
    const v = listed.items[0]?.version;
    if (!v) throw new Error('LeNet-5 has no version');
    lenet = v;
    expect(lenet).toMatchObject({ source: 'preset', name: 'lenet5', family: 'lenet5', seed: 0, test_set: 'mnist:test', job_id: null, active: false, created_by: null });
    console.info(`untrained LeNet-5 preset: test accuracy ${lenet.accuracy}`);
    // Untrained: about one digit in ten.
    expect(lenet.accuracy).toBeGreaterThanOrEqual(0.03);
    expect(lenet.accuracy).toBeLessThan(0.25);
    const registry = ModelList.parse((await request(trainer.app).get('/api/models?source=preset').set(as(who('viewer')))).body);
    expect(registry.items.map((i) => i.id)).toEqual([lenet.id]);
    const manifest = ModelManifest.parse(JSON.parse(readFileSync(join(dataDir, lenet.artifact_path, 'manifest.json'), 'utf8')));
    expect(manifest).toMatchObject({ arch: 'lenet5', training_epochs: 0, hyperparameters: { preset: 'lenet5', trained: false } });
  }, 150_000);

  it('registers a preset once: a restart computes the same bytes and finds them', async () => {
    const again = await registerPresetModels({ db, versions: trainer.exposes.versions, dataDir, presets: ['lenet5'], logger: createLogger('presets-test', 'silent'), signal: new AbortController().signal, kick: () => undefined });
    expect(again).toEqual({ registered: [], present: ['lenet5'] });
    expect(ModelList.parse((await request(trainer.app).get('/api/models?source=preset').set(as(who('viewer')))).body).total).toBe(1);
  });

  it('refuses to promote the untrained preset (409), force or not', async () => {
    for (const body of [{}, { force: true, reason: 'try anyway' }]) {
      const res = await request(trainer.app).post(`/api/models/${lenet.id}/promote`).set(as(who('admin'))).send(body);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'conflict', details: { reason: 'untrained_preset', preset: 'lenet5' } });
      expect(res.body.message).toMatch(/untrained preset lenet5.*train it first/);
    }
    expect((await request(trainer.app).get(`/api/models/${lenet.id}`).set(as(who('viewer')))).body.active).toBe(false);
  });

  it('benchmarks the untrained LeNet-5 through the API: ort-cpu, 1 thread, batches 1 and 8; its accuracy reads as the registry\'s', async () => {
    const started = await request(trainer.app)
      .post('/api/benchmarks')
      .set(as(who('engineer')))
      .send({ model_version_id: lenet.id, engines: [{ engine: 'ort-cpu', threads: 1 }], batch_sizes: [1, 8], warmup_iterations: 1, iterations: 5 });
    expect(started.status).toBe(202);
    const id = BenchmarkRecord.parse(started.body).id;
    const record = await until(() => trainer.exposes.benchmarks.get(id), (r) => r.status === 'completed' || r.status === 'failed', 120_000);
    expect(record).toMatchObject({ status: 'completed', error: null, model_names: ['lenet5'], test_set: 'mnist:test' });
    const [engine] = record.engines;
    expect(engine).toMatchObject({ key: 'ort-cpu@1t', available: true, error: null });
    expect(engine?.cells.map((c) => [c.batch_size, c.iterations])).toEqual([[1, 5], [8, 5]]);
    for (const c of engine?.cells ?? []) expect(c.throughput).toBeGreaterThan(0);
    // The same file on the same 10,000 digits: the untrained accuracy is reported as it is.
    expect(engine?.accuracy?.count).toBe(10_000);
    expect(engine?.accuracy?.accuracy).toBeCloseTo(lenet.accuracy ?? -1, 3);
  }, 150_000);

  it('the train form offers the presets: families lenet5 and resnet18, training knobs only', async () => {
    const families = FamilyList.parse((await request(trainer.app).get('/api/families').set(as(who('engineer')))).body);
    for (const name of ['lenet5', 'resnet18']) {
      const f = families.items.find((i) => i.name === name);
      expect(f?.status, name).toBe('available');
      const properties = Object.keys((f?.parameters?.properties as Record<string, unknown> | undefined) ?? {});
      expect(properties).toContain('learning_rate');
      expect(properties).not.toContain('filters');
      expect(properties).not.toContain('dropout');
    }
    const bad = await request(trainer.app).post('/api/models/train').set(as(who('engineer'))).send({ dataset_id: 'mnist', family: 'lenet5', hyperparameters: { filters: [8] }, epochs: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  });

  it('trains LeNet-5 for one epoch on 3,000 digits: a trained version whose manifest names the preset', async () => {
    const started = await request(trainer.app)
      .post('/api/models/train')
      .set(as(who('engineer')))
      .send({ dataset_id: 'mnist', family: 'lenet5', hyperparameters: { learning_rate: 0.003, batch_size: 32 }, epochs: 1, seed: 1, max_train_samples: 3000 });
    expect(started.status).toBe(202);
    const jobId = TrainingJob.parse(started.body).id;
    const job = await until(async () => TrainingJob.parse((await request(trainer.app).get(`/api/jobs/${jobId}`).set(as(who('engineer')))).body), (j) => j.status === 'completed' || j.status === 'failed', 240_000);
    expect(job.status).toBe('completed');
    const versionId = job.model_version_id;
    if (!versionId) throw new Error('the job registered no version');
    const v = ModelVersion.parse((await request(trainer.app).get(`/api/models/${versionId}`).set(as(who('viewer')))).body);
    expect(v).toMatchObject({ source: 'trained', family: 'lenet5', job_id: jobId, status: 'ready', test_set: 'mnist:test' });
    console.info(`LeNet-5 after one epoch on 3,000 digits: test accuracy ${v.accuracy}`);
    // One short epoch already reads far better than the untrained preset.
    expect(v.accuracy).toBeGreaterThan(0.6);
    const manifest = ModelManifest.parse(JSON.parse(readFileSync(join(dataDir, v.artifact_path, 'manifest.json'), 'utf8')));
    expect(manifest.arch).toBe('lenet5');
    expect(manifest.hyperparameters).toMatchObject({ arch: { kind: 'lenet5' } });
  }, 300_000);
});

describe('a deleted preset', () => {
  it('is registered again at the next start: its deleted row does not hold the file\'s place', async () => {
    const first = await until(() => trainer.exposes.versions.presetVersion('lenet5'), (v) => v !== null, 120_000);
    if (!first) throw new Error('LeNet-5 was not registered');
    // As a delete leaves it: the row stays, marked deleted.
    await db('model_versions').where({ id: first.id }).update({ status: 'deleted' });
    const again = await registerPresetModels({ db, versions: trainer.exposes.versions, dataDir, presets: ['lenet5'], logger: createLogger('presets-test', 'silent'), signal: new AbortController().signal, kick: () => undefined });
    expect(again).toEqual({ registered: ['lenet5'], present: [] });
    const live = await trainer.exposes.versions.presetVersion('lenet5');
    expect(live?.id).toBeDefined();
    expect(live?.id).not.toBe(first.id);
    expect(live?.sha256).toBe(first.sha256);
  }, 150_000);
});

describe('ResNet-18 preset (not registered here: its scoring would take minutes)', () => {
  it('its untrained file runs on the benchmark engine (ort-cpu, 1 thread) at batch 1', async () => {
    const { onnx, manifest } = presetArtifact('resnet18', new Date('2026-12-07T00:00:00Z'));
    expect(manifest).toMatchObject({ arch: 'resnet18', model_id: 'preset-resnet18', training_epochs: 0 });
    const member = { name: 'resnet18', bytes: onnx, inputName: manifest.input_name, outputName: manifest.output_name, normalization: MNIST_NORMALIZATION };
    const runner = await buildEngine({ engine: 'ort-cpu', threads: 1 }, [member]);
    try {
      const m = await measureCell(runner, batchInputs(mnistTest(), [member], 1), 1, { warmup: 1, iterations: 3 });
      expect(m.samplesMs).toHaveLength(3);
      console.info(`ResNet-18 preset, ort-cpu 1 thread, batch 1: ${m.samplesMs.map((s) => s.toFixed(1)).join(', ')} ms`);
      const probs = await runner.run(batchInputs(mnistTest(), [member], 1), 1);
      expect(probs).toHaveLength(10);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    } finally {
      await runner.release();
    }
  }, 120_000);
});
