import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivationList, ActiveModels, BenchmarkRecord, ReadResponse, type BenchmarkRequestInput, type ServingEngine } from '@inkwell/contracts';
import { makePenDigits } from '@inkwell/imaging';
import { startPlatform, type Platform } from '../harness/platform';
import { createUser, signInAdmin, type Session } from '../harness/sessions';
import { MODEL_A, MODEL_B, shippedModels, type ShippedModels } from '../harness/shipped-models';

let p: Platform;
let shipped: ShippedModels | undefined;
let admin: Session;
let engineer: Session;
let viewer: Session;
let digit: Uint8Array;

beforeAll(async () => {
  shipped = await shippedModels({ name: 'benchmark-apply', members: [MODEL_A, MODEL_B] });
  // Both small test models as the default ensemble, served by inference as the registry names them.
  p = await startPlatform({ registry: true, env: shipped.env });
  admin = await signInAdmin(p);
  [engineer, viewer] = await Promise.all([createUser(p, admin, 'engineer'), createUser(p, admin, 'viewer')]);
  const [seven] = (await makePenDigits(1, [12])).filter((d) => d.label === 7);
  if (!seven) throw new Error('no pen digit 7');
  digit = seven.bytes;
}, 300_000);

afterAll(async () => {
  await p?.close();
  shipped?.cleanup();
});

const auth = (s: Session) => ({ Authorization: `Bearer ${s.access}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const history = async () => ActivationList.parse((await request(p.url).get('/api/models/activations').set(auth(admin))).body).items;

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms: number, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() - start > ms) throw new Error(`${what} not within ${ms} ms: ${JSON.stringify(v).slice(0, 400)}`);
    await sleep(100);
  }
}

/** The engine `/v1/models/active` names, through the gateway. */
const activeEngine = async (): Promise<ServingEngine | null> => {
  const a = ActiveModels.parse((await request(p.url).get('/v1/models/active').set(auth(viewer))).body);
  return a.model_loaded ? (a.engine ?? null) : null;
};
const read = async (): Promise<ReadResponse> => {
  const res = await request(p.url).post('/v1/read').set(auth(viewer)).attach('file', Buffer.from(digit), { filename: 'seven.png', contentType: 'image/png' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return ReadResponse.parse(res.body);
};

async function benchmark(req: BenchmarkRequestInput): Promise<BenchmarkRecord> {
  const started = await request(p.url).post('/api/benchmarks').set(auth(engineer)).send(req);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const id = BenchmarkRecord.parse(started.body).id;
  const get = async () => BenchmarkRecord.parse((await request(p.url).get(`/api/benchmarks/${id}`).set(auth(viewer))).body);
  return until(get, (r) => r.status === 'completed' || r.status === 'failed', 240_000, `benchmark ${id} finished`);
}

// Only the int8 engine, at 2 threads: the selection is that engine whatever the timings.
const INT8_ONLY: BenchmarkRequestInput = { model_version_id: 'active', engines: [{ engine: 'ort-cpu-int8', threads: 2 }], batch_sizes: [8], warmup_iterations: 0, iterations: 2 };

describe('applying a benchmark\'s selection through the gateway', () => {
  it('makes /v1/read answer with the selected int8 variant, shows the apply in the history, and a rollback brings back the float set', async () => {
    await until(history, (items) => items.length > 0, 120_000, 'the default ensemble activated');
    await until(activeEngine, (e) => e !== null, 120_000, 'inference serving');
    expect((await read()).engine).toMatchObject({ name: 'ort-cpu', variant: 'float32', benchmark_id: null });

    const bench = await benchmark(INT8_ONLY);
    expect(bench.status).toBe('completed');
    expect(bench.selection?.selected).toMatchObject({ engine: 'ort-cpu-int8', variant: 'int8', threads: 2 });

    expect((await request(p.url).post('/api/benchmarks').set(auth(viewer)).send(INT8_ONLY)).status).toBe(403);
    expect((await request(p.url).post(`/api/benchmarks/${bench.id}/apply`).set(auth(viewer)).send({})).status).toBe(403);
    expect((await request(p.url).post(`/api/benchmarks/${bench.id}/apply`).set(auth(engineer)).send({})).status).toBe(403);

    const applied = await request(p.url).post(`/api/benchmarks/${bench.id}/apply`).set(auth(admin)).send({});
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const activationId = BenchmarkRecord.parse(applied.body).applied?.activation_id;
    expect(activationId).toBeGreaterThan(0);

    const [apply] = await history();
    expect(apply).toMatchObject({ id: activationId, kind: 'apply', forced: false, gate: { passed: true }, actor: { role: 'admin' }, engine: { engine: 'ort-cpu-int8', variant: 'int8', threads: 2, benchmark_id: bench.id } });
    expect(apply?.to_accuracy).toBe(bench.engines[0]?.accuracy?.accuracy);

    const int8 = { name: 'ort-cpu-int8', variant: 'int8', threads: 2, benchmark_id: bench.id };
    await until(activeEngine, (e) => e?.variant === 'int8', 60_000, 'inference on the int8 files');
    expect(await activeEngine()).toEqual(int8);
    expect((await read()).engine).toEqual(int8);

    const rolled = await request(p.url).post('/api/models/rollback').set(auth(admin)).send({ reason: 'back to float' });
    expect(rolled.status, JSON.stringify(rolled.body)).toBe(200);
    expect(rolled.body).toMatchObject({ kind: 'rollback', undoes: activationId, engine: null });
    await until(activeEngine, (e) => e?.variant === 'float32', 60_000, 'inference back on the float files');
    expect((await read()).engine).toMatchObject({ name: 'ort-cpu', variant: 'float32', benchmark_id: null });
  }, 600_000);

  it('refuses to apply a benchmark whose constraints no engine met (409, nothing selected)', async () => {
    const none = await benchmark({ ...INT8_ONLY, constraints: [{ metric: 'accuracy', op: '>=', value: 1.01 }] });
    expect(none.selection?.selected).toBeNull();
    const res = await request(p.url).post(`/api/benchmarks/${none.id}/apply`).set(auth(admin)).send({});
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'conflict', details: { reason: 'nothing_selected' } });
    expect((await history())[0]?.kind).toBe('rollback');
  }, 300_000);
});
