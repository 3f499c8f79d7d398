import { mkdtemp, readFile, rm, writeFile, mkdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActiveModels, INT8_MODEL_FILE, ReadResponse, type ActivationEngine } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { makePhotoFixtures } from '@inkwell/imaging';
import { sha256Of } from '@inkwell/model-artifacts';
import { quantizeDynamicInt8 } from '@inkwell/onnx';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { ensureTestModel, writeModelFolder } from '../testing/test-model';

let dir: string;
let svc: InferenceApp;
const lines: { level: string; msg: string; [k: string]: unknown }[] = [];

beforeAll(async () => {
  const model = await ensureTestModel();
  dir = await mkdtemp(join(tmpdir(), 'inkwell-models-'));
  await writeModelFolder(dir, model.onnx, { ...model.manifest, model_id: 'alpha' });
  await writeModelFolder(dir, model.onnx, { ...model.manifest, model_id: 'beta' });
  await writeModelFolder(dir, model.onnx, { ...model.manifest, model_id: 'stale', preprocess_hash: '0123456789abcdef' });
  // Not an ONNX graph, under another folder's model id: the failure must be pinned on this folder.
  await writeModelFolder(dir, new Uint8Array(4096).fill(0x5a), { ...model.manifest, model_id: 'alpha' }, 'corrupt');
  // A valid graph fed through a normalisation that overflows: it loads, and answers NaN.
  await writeModelFolder(dir, model.onnx, { ...model.manifest, model_id: 'nan', normalization: { mean: 0.1307, std: 1e-40 } });
  await mkdir(join(dir, 'broken'));
  await writeFile(join(dir, 'broken', 'manifest.json'), JSON.stringify({ schema_version: '1.0', model_id: 'broken' }));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as (typeof lines)[number]);
      done();
    },
  });
  // CUDA is requested on purpose: this onnxruntime-node build is CPU-only, so the service must fall back.
  svc = await startInferenceApp({ INFERENCE_MODEL_DIR: dir, INFERENCE_EXECUTION_PROVIDER: 'cuda', INFERENCE_WORKERS: '1' }, createLogger('inference', 'info', sink));
  await waitFor(() => svc.runtime.active.set !== null, 60_000, 'model loaded');
});
afterAll(async () => {
  await svc.close();
  await rm(dir, { recursive: true, force: true });
});

const active = async () => ActiveModels.parse((await request(svc.app).get('/v1/models/active').set(svc.headers())).body);

describe('model loading', () => {
  it('serves every valid folder as one ensemble and refuses the others with a clear log line', async () => {
    const a = await active();
    expect(a).toMatchObject({ model_loaded: true, model_id: 'ensemble_2_models', model_ids: ['alpha', 'beta'], ensemble_size: 2, arch: 'ensemble' });
    const refused = lines.filter((l) => l.msg.startsWith('model refused'));
    expect(refused.map((l) => l.folder).sort()).toEqual(['broken', 'corrupt', 'nan', 'stale']);
    expect(refused.find((l) => l.folder === 'stale')?.msg).toMatch(/preprocess_hash 0123456789abcdef differs/);
    // A graph ONNX Runtime cannot load costs only its own folder, not the whole set.
    expect(refused.find((l) => l.folder === 'corrupt')?.msg).toMatch(/^model refused: corrupt: cannot be loaded: /);
    expect(refused.find((l) => l.folder === 'nan')?.msg).toMatch(/^model refused: nan: cannot be loaded: model nan answers NaN where a probability belongs/);
  });

  it('falls back to CPU with a warning when the requested execution provider is unavailable', async () => {
    const a = await active();
    expect(a.model_loaded && a.models.map((m) => m.execution_provider)).toEqual(['cpu', 'cpu']);
    expect(lines.some((l) => l.level === 'warn' && /execution provider cuda unavailable.*using cpu/.test(l.msg))).toBe(true);
  });

  it('an ensemble of one model twice answers exactly what that model answers', async () => {
    const [f] = await makePhotoFixtures({ count: 1, seed: 9 });
    if (!f) throw new Error('no fixture');
    const read = () => request(svc.app).post('/v1/read').set(svc.headers()).attach('file', Buffer.from(f.bytes), { filename: 'd', contentType: f.contentType });
    const both = await read();
    expect(both.body.model_id).toBe('ensemble_2_models');
    const swap = await request(svc.app).post('/internal/models/reload').set(svc.headers({ kind: 'user', sub: 'u1', role: 'admin' })).send({ model_ids: ['alpha'] });
    expect(swap.status).toBe(200);
    expect(swap.body.model_id).toBe('alpha');
    const one = await read();
    expect(one.body.model_id).toBe('alpha');
    for (let i = 0; i < 10; i++) expect(one.body.probs[i]).toBeCloseTo(both.body.probs[i], 6);
  });

  it('refuses a reload naming a model it cannot serve with 400 and the reason, and keeps the current set', async () => {
    const reload = (body: unknown) => request(svc.app).post('/internal/models/reload').set(svc.headers({ kind: 'user', sub: 'u1', role: 'admin' })).send(body as object);
    const stale = await reload({ model_ids: ['alpha', 'stale'] });
    expect([stale.status, stale.body.code]).toEqual([400, 'validation_failed']);
    expect(stale.body.details.refused).toEqual([{ folder: 'stale', reason: expect.stringMatching(/preprocess_hash/) }]);
    const corrupt = await reload({ model_ids: ['corrupt'] });
    expect([corrupt.status, corrupt.body.details?.refused?.[0]?.folder]).toEqual([400, 'corrupt']);
    expect(corrupt.body.details.refused[0].reason).toMatch(/^cannot be loaded: /);
    const all = await reload({ model_ids: ['alpha', 'stale', 'corrupt', 'nan'] }); // every bad one is named at once
    expect([all.status, all.body.details?.refused?.map((r: { folder: string }) => r.folder).sort()]).toEqual([400, ['corrupt', 'nan', 'stale']]);
    const missing = await reload({ model_ids: ['nope'] });
    expect([missing.status, missing.body.details?.refused?.[0]?.reason]).toEqual([400, 'no manifest.json']);
    await symlink(join(dir, 'alpha'), join(dir, 'link'));
    const link = await reload({ model_ids: ['link'] });
    expect([link.status, link.body.details?.refused?.[0]?.reason]).toEqual([400, expect.stringMatching(/symbolic link/)]);
    for (const model_ids of [['../models/alpha'], ['alpha/../beta'], ['.hidden'], ['alpha', 'alpha']]) {
      expect((await reload({ model_ids })).status, JSON.stringify(model_ids)).toBe(400);
    }
    expect((await active()).model_id).toBe('alpha');
    const guest = await request(svc.app).post('/internal/models/reload').set(svc.headers()).send({});
    expect(guest.status).toBe(401);
  });

  it('runs an applied engine: the int8 files whose hashes the registry recorded, with its threads, and says so on every read', async () => {
    const int8 = quantizeDynamicInt8(new Uint8Array(await readFile(join(dir, 'alpha', 'model.onnx')))).bytes;
    await writeFile(join(dir, 'alpha', INT8_MODEL_FILE), int8);
    await writeFile(join(dir, 'beta', INT8_MODEL_FILE), int8);
    const good: ActivationEngine['files'][number] = { file: INT8_MODEL_FILE, sha256: sha256Of(int8) };
    const engine: ActivationEngine = { engine: 'ort-cpu-int8', variant: 'int8', threads: 2, benchmark_id: '00000000-0000-4000-8000-0000000000b1', files: [good, { ...good, sha256: 'f'.repeat(64) }] };
    // beta's file is not the one recorded: the load is refused and the current set keeps serving.
    await expect(svc.runtime.manager.load(['alpha', 'beta'], dir, engine)).rejects.toThrow(/beta \(model\.int8\.onnx is not the file the registry recorded/);
    expect((await active()).model_id).toBe('alpha');

    const set = await svc.runtime.manager.load(['alpha', 'beta'], dir, { ...engine, files: [good, good] });
    expect(set.files.map((f) => [f.path, f.sha256])).toEqual(['alpha', 'beta'].map((m) => [join(dir, m, INT8_MODEL_FILE), sha256Of(int8)]));
    const expected = { name: 'ort-cpu-int8', variant: 'int8', threads: 2, benchmark_id: engine.benchmark_id };
    const a = await active();
    expect(a.model_loaded && a.engine).toEqual(expected);
    expect(a.model_loaded && a.models.map((m) => m.execution_provider)).toEqual(['cpu', 'cpu']);
    const [f] = await makePhotoFixtures({ count: 1, seed: 9 });
    if (!f) throw new Error('no fixture');
    const read = await request(svc.app).post('/v1/read').set(svc.headers()).attach('file', Buffer.from(f.bytes), { filename: 'd', contentType: f.contentType });
    expect(ReadResponse.parse(read.body).engine).toEqual(expected);

    // Without engine settings: the configured provider (cuda, fallen back to the CPU here) on the float files.
    await svc.runtime.manager.load(['alpha']);
    expect(((await active()) as { engine?: unknown }).engine).toEqual({ name: 'ort-cpu', variant: 'float32', threads: 1, benchmark_id: null });
  });
});
