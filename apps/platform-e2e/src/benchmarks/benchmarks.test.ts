import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivationList, BenchmarkEvent, BenchmarkRecord, type BenchmarkRequestInput } from '@inkwell/contracts';
import { startPlatform, type Platform } from '../harness/platform';
import { createUser, signInAdmin, type Session } from '../harness/sessions';
import { MODEL_A as A, MODEL_B as B, shippedModels, type ShippedModels } from '../harness/shipped-models';
import { readSse } from '../harness/sse';

let p: Platform;
let shipped: ShippedModels | undefined;
let admin: Session;
let engineer: Session;
let viewer: Session;

beforeAll(async () => {
  // Two small test models shipped as the default ensemble (both members, probabilities averaged).
  shipped = await shippedModels({ name: 'benchmarks-e2e', members: [A, B] });
  p = await startPlatform({ env: shipped.env });
  admin = await signInAdmin(p);
  [engineer, viewer] = await Promise.all([createUser(p, admin, 'engineer'), createUser(p, admin, 'viewer')]);
}, 300_000);

afterAll(async () => {
  await p?.close();
  shipped?.cleanup();
});

const auth = (s: Session) => ({ Authorization: `Bearer ${s.access}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads the benchmark's server-sent events through the gateway until the stream ends (after the final status). */
async function readEvents(who: Session, id: string): Promise<BenchmarkEvent[]> {
  const res = await fetch(`${p.url}/api/benchmarks/${id}/events`, { headers: { ...auth(who), Accept: 'text/event-stream' } });
  expect(res.status).toBe(200);
  if (!res.body) throw new Error('no body');
  return (await readSse(res.body)).map((m) => BenchmarkEvent.parse(JSON.parse(m.data)));
}

// Small iteration counts: the test checks what is measured and recorded; bench/benchmarks-repeat measures for real.
const REQUEST: BenchmarkRequestInput = {
  model_version_id: 'active',
  engines: [{ engine: 'ort-cpu', threads: 1 }, { engine: 'ort-cpu', threads: 2 }, { engine: 'ort-cpu-int8' }, { engine: 'ort-wasm' }, { engine: 'cuda' }, { engine: 'tensorrt-fp16' }],
  batch_sizes: [1, 8, 64],
  warmup_iterations: 1,
  iterations: 3,
};

describe('benchmarks through the gateway', () => {
  it('benchmarks the default ensemble on CPU (1 and 2 threads), int8 and WASM at batch sizes 1, 8 and 64; CUDA and TensorRT unavailable with a reason', async () => {
    // The trainer activates the shipped ensemble in the background at its first start.
    for (const start = Date.now(); ActivationList.parse((await request(p.url).get('/api/models/activations').set(auth(admin))).body).items.length === 0; await sleep(200)) {
      if (Date.now() - start > 120_000) throw new Error('the default ensemble was never activated');
    }
    const started = await request(p.url).post('/api/benchmarks').set(auth(engineer)).send(REQUEST);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const queued = BenchmarkRecord.parse(started.body);
    expect(queued.model_names).toEqual([A, B]);

    const events = await readEvents(viewer, queued.id);
    expect(events.at(-1)).toEqual({ type: 'status', status: 'completed', error: null });
    expect(events.filter((e) => e.type === 'engine')).toHaveLength(6);

    const got = await request(p.url).get(`/api/benchmarks/${queued.id}`).set(auth(viewer));
    expect(got.status).toBe(200);
    const record = BenchmarkRecord.parse(got.body);
    expect(record.status).toBe('completed');
    const byKey = new Map(record.engines.map((e) => [e.key, e]));
    for (const key of ['ort-cpu@1t', 'ort-cpu@2t', 'ort-cpu-int8@1t', 'ort-wasm']) {
      const e = byKey.get(key);
      expect(e, key).toMatchObject({ available: true, error: null });
      // The two trained test models read MNIST well; averaged, still well.
      expect(e?.accuracy?.accuracy, key).toBeGreaterThan(0.8);
      expect(e?.cells.map((c) => c.batch_size)).toEqual([1, 8, 64]);
      for (const c of e?.cells ?? []) {
        for (const v of [c.latency.mean_ms, c.latency.p50_ms, c.latency.p95_ms, c.latency.p99_ms, c.latency.max_ms, c.throughput, c.cpu_pct, c.peak_rss_mb, c.warmup.total_ms]) expect(Number.isFinite(v)).toBe(true);
        expect(c.latency.p50_ms).toBeLessThanOrEqual(c.latency.p99_ms);
        expect(c.latency.p99_ms).toBeLessThanOrEqual(c.latency.max_ms);
        expect(c.throughput).toBeGreaterThan(0);
        expect(c.samples_ms).toBeUndefined();
      }
    }
    // The int8 copy is made by Inkwell's own quantizer, and reads (almost) as well as the float model.
    const int8 = byKey.get('ort-cpu-int8@1t');
    expect(int8?.quantization?.quantized_ops.length).toBeGreaterThan(0);
    expect(Math.abs((int8?.accuracy?.accuracy ?? 0) - (byKey.get('ort-cpu@1t')?.accuracy?.accuracy ?? 1))).toBeLessThan(0.01);
    for (const key of ['cuda', 'tensorrt-fp16']) {
      expect(byKey.get(key), key).toMatchObject({ available: false, cells: [] });
      expect(byKey.get(key)?.unavailable_reason).toBeTruthy();
    }
    expect(record.selection?.selected?.engine).toMatch(/^ort-/);

    // Raw samples are kept, and returned when asked for.
    const raw = BenchmarkRecord.parse((await request(p.url).get(`/api/benchmarks/${queued.id}?samples=true`).set(auth(viewer))).body);
    expect(raw.engines[0]?.cells[0]?.samples_ms).toHaveLength(3);
    const list = await request(p.url).get('/api/benchmarks').set(auth(viewer));
    expect(list.status).toBe(200);
  }, 300_000);

  it('refuses a viewer starting a benchmark or applying one (403), and an engineer applying one', async () => {
    const start = await request(p.url).post('/api/benchmarks').set(auth(viewer)).send(REQUEST);
    expect(start.status).toBe(403);
    const [any] = (await request(p.url).get('/api/benchmarks').set(auth(viewer))).body.items as { id: string }[];
    expect(any).toBeDefined();
    expect((await request(p.url).post(`/api/benchmarks/${any?.id ?? ''}/apply`).set(auth(viewer)).send({})).status).toBe(403);
    expect((await request(p.url).post(`/api/benchmarks/${any?.id ?? ''}/apply`).set(auth(engineer)).send({})).status).toBe(403);
  });
});
