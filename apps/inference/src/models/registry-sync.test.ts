import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ActivationEngine, RegistryActiveSet } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { RegistrySync, type SetLoader } from './registry-sync';

const REGISTRY_DIR = '/data/models';
const set = (activation_id: number, ...model_ids: string[]): RegistryActiveSet => ({ active: true, activation_id, model_ids: model_ids as [string, ...string[]], versions: [], engine: null });
const until = async (cond: () => boolean, ms = 2000) => {
  for (const start = Date.now(); !cond(); await new Promise((r) => setTimeout(r, 5))) if (Date.now() - start > ms) throw new Error('condition not met');
};

/** Records each load; `failing` folders make a load fail, as a folder inference cannot read would. */
function harness(answers: (() => Promise<RegistryActiveSet>)[], opts: { override?: string[]; failing?: string[] } = {}) {
  const loads: { folders: readonly string[] | 'configured'; dir: string | undefined }[] = [];
  const engines: (ActivationEngine | null | undefined)[] = [];
  const loader: SetLoader = {
    load: async (folders, dir, engine) => {
      loads.push({ folders: folders ?? 'configured', dir });
      engines.push(engine);
      if (folders?.some((f) => opts.failing?.includes(f))) throw new Error('cannot load');
    },
  };
  const warnings: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) {
        const line = JSON.parse(l) as { level: string; msg: string };
        if (line.level === 'warn') warnings.push(line.msg);
      }
      done();
    },
  });
  let calls = 0;
  const fetchSet = () => {
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls++;
    return answer ? answer() : Promise.reject(new Error('no answer'));
  };
  const sync = new RegistrySync(loader, { registryUrl: 'http://trainer', override: opts.override ?? [], modelDir: 'models', registryDir: REGISTRY_DIR, retryMs: 20 }, fetchSet, createLogger('test', 'info', sink));
  return { sync, loads, engines, warnings, fetches: () => calls };
}

describe('the registry sync', () => {
  it('serves the configured folders with a warning while the registry is unreachable, then the registry\'s set once it answers', async () => {
    const h = harness([() => Promise.reject(new Error('ECONNREFUSED')), () => Promise.reject(new Error('ECONNREFUSED')), () => Promise.resolve(set(3, 'v3'))]);
    h.sync.start();
    await until(() => h.loads.length === 2);
    h.sync.stop();
    expect(h.loads).toEqual([{ folders: 'configured', dir: undefined }, { folders: ['v3'], dir: REGISTRY_DIR }]);
    expect(h.warnings[0]).toMatch(/registry at http:\/\/trainer cannot be reached \(ECONNREFUSED\); serving the folders of models meanwhile; asking again every 20 ms/);
    expect(h.fetches()).toBe(3);
  });

  it('waits for a registry with no active set yet the same way', async () => {
    const h = harness([() => Promise.resolve({ active: false }), () => Promise.resolve(set(1, 'v1'))]);
    h.sync.start();
    await until(() => h.loads.length === 2);
    h.sync.stop();
    expect(h.loads.map((l) => l.folders)).toEqual(['configured', ['v1']]);
    expect(h.warnings[0]).toMatch(/names no active set yet/);
  });

  it('never goes back to an older set: late answers and events out of order or twice are ignored', async () => {
    let answer: (s: RegistryActiveSet) => void = () => undefined;
    const h = harness([() => new Promise((resolve) => (answer = resolve))]);
    h.sync.start();
    h.sync.onEvent({ model_ids: ['v5'], activation_id: 5 });
    answer(set(4, 'v4')); // the start-up answer arrives after a newer event
    h.sync.onEvent({ model_ids: ['v3'], activation_id: 3 });
    h.sync.onEvent({ model_ids: ['v5'], activation_id: 5 });
    h.sync.onEvent({ model_ids: ['v6', 'v7'], activation_id: 6 });
    await until(() => h.loads.length === 2);
    await new Promise((r) => setTimeout(r, 30));
    h.sync.stop();
    expect(h.loads).toEqual([{ folders: ['v5'], dir: REGISTRY_DIR }, { folders: ['v6', 'v7'], dir: REGISTRY_DIR }]);
  });

  it('asks the registry again when the subscription comes back (events published meanwhile were lost)', async () => {
    const h = harness([() => Promise.resolve(set(1, 'v1')), () => Promise.resolve(set(2, 'v2'))]);
    h.sync.start();
    await until(() => h.loads.length === 1);
    h.sync.onSubscribed(true);
    await until(() => h.loads.length === 2);
    h.sync.stop();
    expect(h.loads.map((l) => l.folders)).toEqual([['v1'], ['v2']]);
  });

  it('a promotion published between the start-up read and the acknowledged SUBSCRIBE is not lost: the acknowledgement re-reads the registry', async () => {
    // The start-up read answers activation 1; activation 2 is promoted before the SUBSCRIBE is acknowledged, so no event comes.
    const h = harness([() => Promise.resolve(set(1, 'v1')), () => Promise.resolve(set(2, 'v2'))]);
    h.sync.start();
    await until(() => h.loads.length === 1);
    h.sync.onSubscribed(false);
    await until(() => h.loads.length === 2);
    h.sync.stop();
    expect(h.loads.map((l) => l.folders)).toEqual([['v1'], ['v2']]);
    expect(h.fetches()).toBe(2);
  });

  it('in registry mode, a hand-published model.promoted without activation_id loads no INFERENCE_MODEL_DIR folders: it is logged and the registry is asked again', async () => {
    const h = harness([() => Promise.resolve(set(1, 'v1')), () => Promise.resolve(set(1, 'v1'))]);
    h.sync.start();
    await until(() => h.loads.length === 1);
    h.sync.onEvent({ model_ids: ['operator-folder'] });
    h.sync.onEvent({});
    await until(() => h.fetches() === 3);
    await new Promise((r) => setTimeout(r, 30));
    h.sync.stop();
    expect(h.loads).toEqual([{ folders: ['v1'], dir: REGISTRY_DIR }]);
    expect(h.warnings.filter((w) => /without activation_id ignored: the registry names the set/.test(w))).toHaveLength(2);
  });

  it('hands the activation\'s engine settings (a benchmark\'s apply) to the loader, from the registry\'s answer and from an event', async () => {
    const int8: ActivationEngine = { engine: 'ort-cpu-int8', variant: 'int8', threads: 2, benchmark_id: '00000000-0000-4000-8000-000000000001', files: [{ file: 'model.int8.onnx', sha256: 'a'.repeat(64) }] };
    const h = harness([() => Promise.resolve({ ...set(1, 'v1'), engine: int8 })]);
    h.sync.start();
    await until(() => h.loads.length === 1);
    h.sync.onEvent({ model_ids: ['v1'], activation_id: 2, engine: null });
    await until(() => h.loads.length === 2);
    h.sync.stop();
    expect(h.engines).toEqual([int8, null]);
  });

  it('retries a set it could not load, keeping the current one meanwhile', async () => {
    const h = harness([() => Promise.resolve(set(1, 'v1')), () => Promise.resolve(set(2, 'broken')), () => Promise.resolve(set(3, 'v3'))], { failing: ['broken'] });
    h.sync.start();
    await until(() => h.loads.length === 1);
    h.sync.onSubscribed(true);
    await until(() => h.loads.length === 3);
    h.sync.stop();
    expect(h.loads.map((l) => l.folders)).toEqual([['v1'], ['broken'], ['v3']]);
    expect(h.warnings.some((w) => /activation 2 could not be loaded \(cannot load\); the last set it named keeps serving/.test(w))).toBe(true);
  });

  it('with INFERENCE_ACTIVE_MODELS set, serves the configured set and ignores the registry\'s events; operator events still work', async () => {
    const h = harness([() => Promise.resolve(set(1, 'v1'))], { override: ['alpha'] });
    h.sync.start();
    h.sync.onEvent({ model_ids: ['v9'], activation_id: 9 });
    h.sync.onEvent({ model_ids: ['beta'] });
    await new Promise((r) => setTimeout(r, 30));
    h.sync.stop();
    expect(h.fetches()).toBe(0);
    expect(h.loads).toEqual([{ folders: 'configured', dir: undefined }, { folders: ['beta'], dir: undefined }]);
  });
});
