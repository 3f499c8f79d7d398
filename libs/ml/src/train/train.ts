import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type DataSet, type Progress, TrainConfig, type TrainConfigInput, type TrainedModel } from './config';
import { TrainingCancelled } from './train-loop';
import type { WorkerMessage } from './worker';

export interface TrainOptions extends TrainConfigInput {
  readonly data: DataSet;
  readonly validation?: DataSet;
  /** Called for every step, every epoch, and for log lines (e.g. the CUDA fallback). */
  readonly onProgress?: (p: Progress) => void;
  /** Aborting stops the run between two steps; the promise then rejects with an AbortError. */
  readonly signal?: AbortSignal;
  readonly checkpointDir?: string;
  readonly resumeFrom?: string;
}

/**
 * How to start the training worker. A bundle (a `.mjs` build, infra/docker/bundle.mjs) ships it
 * beside itself as `train-worker.mjs`; the image has no tsx (a dev dependency), so tsx must not even
 * be resolved there. From the sources (tsx, tests) the worker is TypeScript, and Node 20 passes
 * neither the parent's loader hooks nor an `--import` in execArgv on to worker threads, and tsx
 * self-registers only on the main thread there: a small bootstrap registers tsx through its ESM API
 * (`tsx/esm/api`; the .mjs build, since the CommonJS one mis-resolves from an eval'd worker), then
 * imports the worker module.
 */
function workerEntry(): { entry: string | URL; eval: boolean } {
  const bundled = new URL('./train-worker.mjs', import.meta.url);
  if (import.meta.url.endsWith('.mjs') && existsSync(fileURLToPath(bundled))) return { entry: bundled, eval: false };
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const workerUrl = new URL('./worker.ts', import.meta.url).href;
  return { entry: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`, eval: true };
}

/**
 * Trains a network in a worker thread (ONNX Runtime runs each step synchronously, so the caller's
 * event loop stays free). Resolves with the trained weights and history.
 */
/** Structured clone copies a typed array's whole buffer; copy a view of a bigger buffer down to its own bytes first. */
function compact(d: DataSet): DataSet {
  const own = <T extends Uint8Array | Float32Array>(a: T): T => (a.byteLength === a.buffer.byteLength ? a : (a.slice() as T));
  return { images: own(d.images), labels: d.labels instanceof Uint8Array ? own(d.labels) : d.labels, count: d.count };
}

export function train(opts: TrainOptions): Promise<TrainedModel> {
  const { onProgress, signal, checkpointDir, resumeFrom, ...rest } = opts;
  const data = compact(opts.data);
  const validation = opts.validation && compact(opts.validation);
  const config = TrainConfig.parse(rest);
  if (signal?.aborted) return Promise.reject(new TrainingCancelled('training was cancelled before it started'));
  const cancel = new SharedArrayBuffer(4);
  const { entry, eval: isEval } = workerEntry();
  const worker = new Worker(entry, {
    eval: isEval,
    workerData: { request: { config, data, validation, checkpointDir, resumeFrom }, cancel },
  });
  const onAbort = (): void => {
    Atomics.store(new Int32Array(cancel), 0, 1);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  return new Promise<TrainedModel>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') onProgress?.(m.progress);
      else if (m.kind === 'done') finish(() => resolve(m.model));
      else {
        const err = m.name === 'AbortError' ? new TrainingCancelled(m.message) : new Error(m.message);
        if (m.stack && m.name !== 'AbortError') err.stack = m.stack;
        finish(() => reject(err));
      }
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`training worker exited with code ${code}`))));
  });
}
