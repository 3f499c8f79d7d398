import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
// The browser entry: the same arithmetic the web app runs, without loading sharp into every worker thread.
import { normalizeForModel } from '@inkwell/imaging/browser';
import { createOrtSession } from '@inkwell/onnx';
import type { ExecutionProvider, FromWorker, ToWorker, WorkerModel } from './worker-protocol';

/**
 * One ONNX Runtime worker thread. onnxruntime-node's `session.run` executes synchronously on the
 * calling thread (its promise only defers the call with setImmediate), so runs happen here, never
 * on the service's event loop. Messages are handled in arrival order, one at a time, so a
 * `release` sent after the last `run` of a set is handled after that run.
 */
const port = parentPort;
if (!port) throw new Error('ort-worker.ts must run in a worker thread');
// ORT's process-wide logger prints coloured plain-text lines (a GPU provider library missing on a
// CPU build, for one) that break the services' JSON logs; every failure that matters reaches us as
// an exception, which the pool logs as JSON.
ort.env.logLevel = 'fatal';

interface LoadedModel {
  readonly spec: WorkerModel;
  readonly session: ort.InferenceSession;
}
const sets = new Map<number, LoadedModel[]>();
const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
const firstLine = (e: unknown): string => String(e instanceof Error ? e.message : e).split('\n')[0] ?? 'unknown error';

/** Runs every model of a set on the same rows and averages their probabilities (fixed model order). */
async function runSet(models: readonly LoadedModel[], pixels: Float32Array, rows: number): Promise<Float32Array> {
  const mean = new Float32Array(rows * 10);
  for (const { spec, session } of models) {
    const input = normalizeForModel(pixels, spec.normalization);
    const out = await session.run({ [spec.inputName]: new ort.Tensor('float32', input, [rows, 1, 28, 28]) });
    const probs = out[spec.outputName]?.data;
    if (!(probs instanceof Float32Array) || probs.length !== rows * 10) throw new Error(`model ${spec.modelId} did not return ${rows}x10 float32 "${spec.outputName}"`);
    for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] ?? 0) + (probs[i] ?? 0);
  }
  const k = 1 / models.length;
  for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] ?? 0) * k;
  return mean;
}

/** A graph that loads may still answer nonsense (NaN from a broken normalisation): refuse it at load. */
function checkProbabilities(modelId: string, probs: Float32Array, rows: number): void {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let k = 0; k < 10; k++) {
      const p = probs[r * 10 + k] ?? NaN;
      if (!Number.isFinite(p) || p < 0 || p > 1) throw new Error(`model ${modelId} answers ${p} where a probability belongs`);
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-3) throw new Error(`model ${modelId} answers probabilities that sum to ${sum.toFixed(4)}, not 1`);
  }
}

async function load(msg: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  const warnings: string[] = [];
  const loaded: LoadedModel[] = [];
  const providers: ExecutionProvider[] = [];
  let current: number | undefined;
  try {
    for (const [index, spec] of msg.models.entries()) {
      current = index;
      const { session, provider } = await createOrtSession(spec.onnx, { provider: msg.options.provider, intraOpThreads: msg.options.intraOpThreads, log: (m) => warnings.push(m) });
      const model = { spec, session };
      loaded.push(model);
      providers.push(provider);
      // Warm-up, model by model (so a failure names its model): one row and a full batch, so the
      // first requests do not pay for allocations.
      for (const rows of new Set([1, msg.options.warmupRows])) checkProbabilities(spec.modelId, await runSet([model], new Float32Array(rows * 784).fill(0.5), rows), rows);
    }
    sets.set(msg.setId, loaded);
    post({ type: 'loaded', setId: msg.setId, providers, warnings });
  } catch (e) {
    for (const m of loaded) await m.session.release();
    post({ type: 'load_failed', setId: msg.setId, message: firstLine(e), ...(current === undefined ? {} : { model: current }) });
  }
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'load') return load(msg);
  if (msg.type === 'close') {
    for (const [id, set] of sets) {
      sets.delete(id);
      for (const m of set) await m.session.release();
    }
    return post({ type: 'closed' });
  }
  if (msg.type === 'release') {
    const set = sets.get(msg.setId);
    sets.delete(msg.setId);
    for (const m of set ?? []) await m.session.release();
    return;
  }
  const set = sets.get(msg.setId);
  if (!set) return post({ type: 'run_failed', jobId: msg.jobId, message: `model set ${msg.setId} is not loaded in this worker` });
  try {
    const start = performance.now();
    const probs = await runSet(set, msg.pixels, msg.rows);
    post({ type: 'result', jobId: msg.jobId, probs, runMs: performance.now() - start }, [probs.buffer as ArrayBuffer]);
  } catch (e) {
    post({ type: 'run_failed', jobId: msg.jobId, message: firstLine(e) });
  }
}

// Strictly one message at a time, in order.
let chain: Promise<void> = Promise.resolve();
port.on('message', (msg: ToWorker) => {
  chain = chain.then(() => handle(msg));
});
