import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signIdentity } from '@inkwell/auth-guard';
import { ActivationList, BenchmarkRecord, BenchmarkRequest, IDENTITY_HEADER, INT8_MODEL_FILE, ModelManifest, RegistryActiveSet, type BenchmarkEvent, type BenchmarkRequestInput, type Identity } from '@inkwell/contracts';
import { createDb, type Db } from '@inkwell/db';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { createLogger } from '@inkwell/logger';
import { sha256Of } from '@inkwell/model-artifacts';
import { GraphBuilder, quantizeDynamicInt8 } from '@inkwell/onnx';
import { createRedis } from '@inkwell/queue';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { ActivationsStore } from '../activations/activations.store';
import { STREAM_START } from '../events/event-stream';
import { trainerService } from '../service';
import { BenchmarkEvents } from './benchmark-events';
import { BenchmarksStore } from './benchmarks.store';
import { latencyStats, throughputOf } from './latency-stats';

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let dataDir: string;
let trainer: Trainer;
let db: Db;
let members: string[];

const who = (role: 'viewer' | 'engineer' | 'admin'): Identity => ({ kind: 'user', sub: `00000000-0000-4000-8000-0000000000${role === 'admin' ? 'ad' : role === 'engineer' ? 'e1' : 'f1'}`, role, email: `${role}@test`, session_id: null, ip: '127.0.0.1', user_agent: null });
const as = (identity: Identity) => ({ [IDENTITY_HEADER]: signIdentity(identity, trainer.ctx.config.INTERNAL_TOKEN_SECRET) });

/** A real, tiny digit model (a linear layer over the pixels); two offsets are two different members. */
function tinyGraph(offset: number): Uint8Array {
  const g = new GraphBuilder('tiny');
  const image = g.input('image', 'float32', ['N', 1, 28, 28]);
  const flat = g.node('Flatten', [image], { axis: 1 });
  const w = g.initializer('w', 'float32', [10, 784], Array.from({ length: 7840 }, (_, i) => Math.sin(i * 0.37 + offset) * 0.05));
  const b = g.initializer('b', 'float32', [10], new Array<number>(10).fill(0));
  const logits = g.node('Gemm', [flat, w, b], { transB: 1 });
  g.output(g.node('Softmax', [logits], { axis: 1 }, { outputs: ['probs'] }), 'float32', ['N', 10]);
  return g.toModel();
}

async function seedVersion(name: string, graph: Uint8Array): Promise<string> {
  const id = randomUUID();
  const dir = join(dataDir, 'models', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), graph);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(ModelManifest.parse({
    schema_version: '1.1', model_id: name, arch: 'mlp', n_classes: 10, version: '1.0.0', created_at: '2026-12-01T10:00:00.000Z',
    preprocess_hash: PREPROCESS_HASH, val_acc: 0.5, temperature: 1, training_recipe: name, training_seed: 1, training_epochs: 1, test_acc: 0.5, recipe_hash: 'f'.repeat(64), parent_model_id: null,
  })));
  await db('model_versions').insert({ id, job_id: null, source: 'builtin', name, family: 'mlp', dataset_id: 'mnist', split: '{}', test_set: 'mnist:test', artifact_path: `models/${id}`, sha256: randomUUID().replace(/-/g, ''), size_bytes: 1, status: 'ready', accuracy: 0.5 });
  return id;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'benchmarks-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer-test', 'silent'), poolMax: 4 });
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'ml', poolMax: 2 });
  members = [await seedVersion('default-a', tinyGraph(0)), await seedVersion('default-b', tinyGraph(1))];
  // The two as the serving ensemble, as the first start of a trainer activates the shipped defaults.
  await db.transaction((trx) => new ActivationsStore(db).insert(trx, { kind: 'initial', fromIds: [], toIds: members, fromAccuracy: null, toAccuracy: null, actor: { kind: 'system', id: null, email: null, role: null }, reason: null, gate: null, forced: false, undoes: null }));
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await trainer?.close();
  await env?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
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

// Small counts: the test is about what is recorded, not about the numbers.
const REQUEST: BenchmarkRequestInput = {
  model_version_id: 'active',
  engines: [{ engine: 'ort-cpu', threads: 1 }, { engine: 'ort-cpu', threads: 2 }, { engine: 'ort-cpu-int8' }, { engine: 'ort-wasm' }, { engine: 'cuda' }, { engine: 'tensorrt-fp16' }],
  batch_sizes: [1, 8, 64],
  warmup_iterations: 1,
  iterations: 5,
  // The five runs split 3 + 2 over two forks, each with new sessions and its own warmup run.
  forks: 2,
  constraints: [{ metric: 'p99_ms', op: '<', value: 10_000 }],
};

describe('benchmarks of a registered model across engines', () => {
  let record: BenchmarkRecord;

  it('measures the active ensemble on every engine and batch size, GPU engines unavailable with a reason', async () => {
    const started = await request(trainer.app).post('/api/benchmarks').set(as(who('engineer'))).send(REQUEST);
    expect(started.status).toBe(202);
    const queued = BenchmarkRecord.parse(started.body);
    expect(queued).toMatchObject({ status: 'queued', model_version_ids: members, model_names: ['default-a', 'default-b'], test_set: 'mnist:test', progress: { cells_done: 0, cells_total: 36 } });
    record = await until(() => trainer.exposes.benchmarks.get(queued.id, true), (r) => r.status === 'completed' || r.status === 'failed', 240_000);
    expect(record.error).toBeNull();
    expect(record.status).toBe('completed');
    // The machine's speed, probed before each of the two forks.
    expect(record.machine?.speed_probe).toHaveLength(2);
    for (const p of record.machine?.speed_probe ?? []) expect(p).toBeGreaterThan(0);
    expect(record.engines.map((e) => e.key)).toEqual(['ort-cpu@1t', 'ort-cpu@2t', 'ort-cpu-int8@1t', 'ort-wasm', 'cuda', 'tensorrt-fp16']);
    for (const e of record.engines) {
      if (e.engine === 'cuda' || e.engine === 'tensorrt-fp16') {
        expect(e).toMatchObject({ available: false, cells: [] });
        expect(e.unavailable_reason).toMatch(/cuda|tensorrt/);
        continue;
      }
      expect(e, e.key).toMatchObject({ available: true, error: null, unavailable_reason: null });
      expect(e.accuracy).toMatchObject({ test_set: 'mnist:test', count: 10_000 });
      expect(e.setup_ms).toBeGreaterThan(0);
      expect(e.cells.map((c) => c.batch_size)).toEqual([1, 8, 64]);
      for (const c of e.cells) {
        expect(c.iterations).toBe(5);
        expect(c.samples_ms).toHaveLength(5);
        // Deterministic aggregation: the stored numbers are the samples' own, recomputed here.
        expect(c.latency).toEqual(latencyStats(c.samples_ms ?? []));
        expect(c.throughput_pooled).toBe(throughputOf(c.samples_ms ?? [], c.batch_size));
        // The five runs of the two forks, 3 + 2; with two forks the cell's throughput is the faster one's.
        expect(c.fork_runs).toEqual([3, 2]);
        expect(c.throughput_fork_rank).toBe(1);
        const forks = [c.samples_ms?.slice(0, 3) ?? [], c.samples_ms?.slice(3) ?? []];
        expect(c.throughput).toBe(Math.max(...forks.map((f) => throughputOf(f, c.batch_size))));
        expect(c.throughput).toBeGreaterThan(0);
        expect(c.cpu_pct).toBeGreaterThanOrEqual(0);
        expect(c.peak_rss_mb).toBeGreaterThan(10);
        expect(c.gpu).toBeNull();
        expect(c.warmup.iterations).toBe(2);
      }
    }
    // Both variants score the same digits; the averaged float ensemble reads the same on every float engine.
    expect(record.engines[1]?.accuracy?.accuracy).toBe(record.engines[0]?.accuracy?.accuracy);
    expect(record.engines[3]?.accuracy?.accuracy).toBeCloseTo(record.engines[0]?.accuracy?.accuracy ?? -1, 3);
    expect(record.engines[2]?.quantization).toMatchObject({ method: 'dynamic-int8', quantized_ops: ['Gemm'] });
    expect(record.constraints.every((c) => c.passed)).toBe(true);
    expect(record.selection?.selected).not.toBeNull();
    expect(record.selection?.not_selected.find((n) => n.engine_key === 'cuda')?.reason).toMatch(/^unavailable: /);
  }, 300_000);

  it('keeps raw samples out of the default view and the listing', async () => {
    const plain = BenchmarkRecord.parse((await request(trainer.app).get(`/api/benchmarks/${record.id}`).set(as(who('viewer')))).body);
    expect(plain.engines[0]?.cells[0]?.samples_ms).toBeUndefined();
    expect(plain.engines[0]?.cells[0]?.latency).toEqual(record.engines[0]?.cells[0]?.latency);
    const withSamples = BenchmarkRecord.parse((await request(trainer.app).get(`/api/benchmarks/${record.id}?samples=true`).set(as(who('viewer')))).body);
    expect(withSamples.engines[0]?.cells[0]?.samples_ms).toHaveLength(5);
    const list = await request(trainer.app).get('/api/benchmarks').set(as(who('viewer')));
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(record.id);
  });

  it('announces progress, each engine and the final status on its event stream', async () => {
    const conn = createRedis(env.env.REDIS_URL ?? '', 'worker');
    try {
      const events: BenchmarkEvent[] = (await new BenchmarkEvents(conn, env.redisPrefix).read(conn, record.id, STREAM_START)).map((e) => e.event);
      expect(events[0]).toEqual({ type: 'status', status: 'running', error: null });
      expect(events.filter((e) => e.type === 'engine').map((e) => (e.type === 'engine' ? e.engine.key : ''))).toEqual(record.engines.map((e) => e.key));
      expect(events.some((e) => e.type === 'progress' && e.progress.current_batch_size === 64)).toBe(true);
      // Every engine x batch size x fork is counted once, the GPU engines' at once.
      const done = events.flatMap((e) => (e.type === 'progress' ? [e.progress.cells_done] : []));
      expect(done.at(-1)).toBe(36);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(record.progress).toMatchObject({ cells_done: 36, cells_total: 36 });
      expect(events.at(-1)).toEqual({ type: 'status', status: 'completed', error: null });
    } finally {
      conn.disconnect();
    }
  });

  it('lets viewers read but not start benchmarks, and refuses requests it cannot run', async () => {
    expect((await request(trainer.app).post('/api/benchmarks').set(as(who('viewer'))).send(REQUEST)).status).toBe(403);
    const threadsOnWasm = await request(trainer.app).post('/api/benchmarks').set(as(who('engineer'))).send({ ...REQUEST, engines: [{ engine: 'ort-wasm', threads: 2 }] });
    expect(threadsOnWasm.status).toBe(400);
    const unknown = await request(trainer.app).post('/api/benchmarks').set(as(who('engineer'))).send({ ...REQUEST, model_version_id: randomUUID() });
    expect(unknown.status).toBe(404);
    expect((await request(trainer.app).get(`/api/benchmarks/${randomUUID()}`).set(as(who('viewer')))).status).toBe(404);
  });

  it('refuses apply to anyone but an admin, and a benchmark that is unknown or not completed', async () => {
    expect((await request(trainer.app).post(`/api/benchmarks/${record.id}/apply`).set(as(who('engineer'))).send({})).status).toBe(403);
    expect((await request(trainer.app).post(`/api/benchmarks/${record.id}/apply`).set(as(who('viewer'))).send({})).status).toBe(403);
    expect((await request(trainer.app).post(`/api/benchmarks/${randomUUID()}/apply`).set(as(who('admin'))).send({})).status).toBe(404);
    // A queued benchmark no worker will pick up (no job enqueued): its selection does not exist yet.
    const queuedId = randomUUID();
    await db.transaction((trx) => new BenchmarksStore(db).insert(trx, { id: queuedId, ownerId: null, request: BenchmarkRequest.parse(REQUEST), versionIds: members, names: ['default-a', 'default-b'], testSet: 'mnist:test', progress: { cells_done: 0, cells_total: 1, current_engine: null, current_batch_size: null } }));
    const queued = await request(trainer.app).post(`/api/benchmarks/${queuedId}/apply`).set(as(who('admin'))).send({});
    expect(queued.status).toBe(409);
    expect(queued.body).toMatchObject({ code: 'conflict', details: { reason: 'not_completed', status: 'queued' } });
    expect((await request(trainer.app).post(`/api/benchmarks/${record.id}/apply`).set(as(who('admin'))).send({ force: true })).status).toBe(400);
  });
});

describe('applying a benchmark\'s selection', () => {
  const run = async (req: BenchmarkRequestInput): Promise<BenchmarkRecord> => {
    const started = await request(trainer.app).post('/api/benchmarks').set(as(who('engineer'))).send(req);
    expect(started.status).toBe(202);
    const id = BenchmarkRecord.parse(started.body).id;
    return until(() => trainer.exposes.benchmarks.get(id), (r) => r.status === 'completed' || r.status === 'failed', 240_000);
  };
  const small = { model_version_id: 'active' as const, batch_sizes: [8], warmup_iterations: 0, iterations: 2 };
  const activeSet = async () => RegistryActiveSet.parse((await request(trainer.app).get('/internal/models/active-set').set(as(who('viewer')))).body);
  const history = async () => ActivationList.parse((await request(trainer.app).get('/api/models/activations').set(as(who('engineer')))).body).items;

  it('serves the selected int8 variant with its threads through the gate, in the history, until a rollback restores the float set', async () => {
    const bench = await run({ ...small, engines: [{ engine: 'ort-cpu-int8', threads: 2 }] });
    expect(bench.selection?.selected).toMatchObject({ engine: 'ort-cpu-int8', variant: 'int8', threads: 2 });
    // Two runs over the default three forks: the third fork has none to make, and still counts as done.
    expect(bench.engines[0]?.cells[0]?.iterations).toBe(2);
    expect(bench.progress).toMatchObject({ cells_done: 3, cells_total: 3 });
    const int8Accuracy = bench.engines[0]?.accuracy?.accuracy ?? -1;

    // The tiny models are far below the floor: the promotion's gate refuses, judged on the int8 accuracy.
    const refused = await request(trainer.app).post(`/api/benchmarks/${bench.id}/apply`).set(as(who('admin'))).send({});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'conflict', details: { reason: 'gate_refused', gate: { passed: false, candidate_accuracy: int8Accuracy } } });
    expect((await activeSet()).active && (await activeSet())).toMatchObject({ engine: null });
    // The refusal wrote nothing: the int8 copies are written only once the checks pass.
    for (const vid of members) expect(existsSync(join(dataDir, 'models', vid, INT8_MODEL_FILE))).toBe(false);

    const applied = await request(trainer.app).post(`/api/benchmarks/${bench.id}/apply`).set(as(who('admin'))).send({ force: true, reason: 'int8 for the test' });
    expect(applied.status).toBe(200);
    const after = BenchmarkRecord.parse(applied.body);
    expect(after.applied).toMatchObject({ applied_by: who('admin').sub });

    const [latest] = await history();
    expect(latest).toMatchObject({ id: after.applied?.activation_id, kind: 'apply', to_ids: members, to_accuracy: int8Accuracy, forced: true, reason: 'int8 for the test', actor: { email: 'admin@test', role: 'admin' } });
    expect(latest?.engine).toMatchObject({ engine: 'ort-cpu-int8', variant: 'int8', threads: 2, benchmark_id: bench.id });
    // Each member's int8 copy lies beside its model.onnx, as recorded, and is the quantizer's output for it again.
    expect(latest?.engine?.files).toHaveLength(2);
    for (const [i, vid] of members.entries()) {
      const dir = join(dataDir, 'models', vid);
      const onDisk = readFileSync(join(dir, INT8_MODEL_FILE));
      expect(sha256Of(onDisk)).toBe(latest?.engine?.files[i]?.sha256);
      expect(sha256Of(quantizeDynamicInt8(new Uint8Array(readFileSync(join(dir, 'model.onnx')))).bytes)).toBe(sha256Of(onDisk));
    }
    const set = await activeSet();
    expect(set).toMatchObject({ active: true, activation_id: latest?.id, engine: latest?.engine });

    const again = await request(trainer.app).post(`/api/benchmarks/${bench.id}/apply`).set(as(who('admin'))).send({ force: true, reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.details).toMatchObject({ reason: 'already_serving' });

    const rolled = await request(trainer.app).post('/api/models/rollback').set(as(who('admin'))).send({});
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ kind: 'rollback', undoes: latest?.id, to_ids: members, engine: null });
    expect(await activeSet()).toMatchObject({ engine: null });
    // Applied again after the rollback: the same selection may serve again.
    expect((await request(trainer.app).post(`/api/benchmarks/${bench.id}/apply`).set(as(who('admin'))).send({ force: true, reason: 'back to int8' })).status).toBe(200);
    expect(await activeSet()).toMatchObject({ engine: { variant: 'int8', threads: 2 } });
    expect((await request(trainer.app).post('/api/models/rollback').set(as(who('admin'))).send({})).status).toBe(200);
  }, 300_000);

  it('selects nothing when no engine meets the constraints, and refuses to apply that or an engine the server does not run', async () => {
    const none = await run({ ...small, engines: [{ engine: 'ort-cpu', threads: 1 }], constraints: [{ metric: 'accuracy', op: '>=', value: 1.01 }] });
    expect(none.selection?.selected).toBeNull();
    const nothing = await request(trainer.app).post(`/api/benchmarks/${none.id}/apply`).set(as(who('admin'))).send({});
    expect(nothing.status).toBe(409);
    expect(nothing.body).toMatchObject({ code: 'conflict', details: { reason: 'nothing_selected' } });

    const wasm = await run({ ...small, engines: [{ engine: 'ort-wasm' }] });
    expect(wasm.selection?.selected).toMatchObject({ engine: 'ort-wasm' });
    const refused = await request(trainer.app).post(`/api/benchmarks/${wasm.id}/apply`).set(as(who('admin'))).send({ force: true, reason: 'wasm' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'conflict', details: { reason: 'engine_not_servable', engine: 'ort-wasm' } });
    expect(refused.body.message).toMatch(/browser/);
    expect((await history())[0]?.kind).toBe('rollback');
  }, 300_000);

  it('refuses int8 copies that are not the files benchmarked, and undoes the activation when recording the apply fails, leaving the files as they were', async () => {
    const bench = await run({ ...small, engines: [{ engine: 'ort-cpu-int8', threads: 1 }] });
    expect(bench.engines[0]?.quantization?.member_sha256).toHaveLength(2);
    const int8Path = join(dataDir, 'models', members[0] ?? '', INT8_MODEL_FILE);
    const floatPath = join(dataDir, 'models', members[0] ?? '', 'model.onnx');
    const int8Before = readFileSync(int8Path);
    const floatBefore = readFileSync(floatPath);
    const top = (await history())[0]?.id;

    // Other weights of the same size: the int8 copy has the benchmarked one's size, not its bytes.
    const other = tinyGraph(7);
    expect(other.length).toBe(floatBefore.length);
    writeFileSync(floatPath, other);
    try {
      const changed = await request(trainer.app).post(`/api/benchmarks/${bench.id}/apply`).set(as(who('admin'))).send({ force: true, reason: 'changed' });
      expect(changed.status).toBe(409);
      expect(changed.body).toMatchObject({ code: 'conflict', details: { reason: 'variant_changed', members: [0] } });
    } finally {
      writeFileSync(floatPath, floatBefore);
    }
    expect(readFileSync(int8Path).equals(int8Before)).toBe(true);

    // Recording the apply fails: the activation it belongs to does not commit either.
    const spy = vi.spyOn(BenchmarksStore.prototype, 'markApplied').mockRejectedValueOnce(new Error('the record could not be written'));
    try {
      const failed = await request(trainer.app).post(`/api/benchmarks/${bench.id}/apply`).set(as(who('admin'))).send({ force: true, reason: 'fails' });
      expect(failed.status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect((await history())[0]?.id).toBe(top);
    expect(await activeSet()).toMatchObject({ engine: null });
    expect((await trainer.exposes.benchmarks.get(bench.id)).applied).toBeNull();
    expect(readFileSync(int8Path).equals(int8Before)).toBe(true);
  }, 300_000);
});
