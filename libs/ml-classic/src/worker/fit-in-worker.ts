import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DigitSet } from '@inkwell/ml-data';
import type { ForestTrainReport } from '../forest/forest';
import type { ForestParamsInput } from '../forest/params';
import type { SvmParamsInput } from '../svm/params';
import type { SvmTrainReport } from '../svm/train';
import type { FitMessage, FitRequest } from './fit-protocol';

/** The fit was stopped by its signal: the worker thread running it was terminated. */
export class FitCancelled extends Error {
  override readonly name = 'AbortError';
}

export interface FitInWorkerOptions {
  readonly log?: (message: string) => void;
  /** Aborting terminates the worker thread at once, wherever the fit is; the promise rejects with FitCancelled. */
  readonly signal?: AbortSignal;
}

/**
 * How to start the worker. A bundle (a `.mjs` build, infra/docker/bundle.mjs) ships it beside itself
 * as `classic-fit-worker.mjs`. From the sources (tsx, tests) it is TypeScript, and Node passes
 * neither loader hooks nor `--import` on to worker threads: a bootstrap registers tsx through its
 * ESM API first (as @inkwell/ml's training worker and inference's ORT workers do).
 */
function workerEntry(): { entry: string | URL; eval: boolean } {
  const bundled = new URL('./classic-fit-worker.mjs', import.meta.url);
  if (import.meta.url.endsWith('.mjs') && existsSync(fileURLToPath(bundled))) return { entry: bundled, eval: false };
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const workerUrl = new URL('./fit-worker.ts', import.meta.url).href;
  return { entry: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`, eval: true };
}

/** Structured clone copies a typed array's whole buffer: a view into a bigger one (a subset of MNIST) goes down to its own bytes. */
function compact(s: DigitSet): DigitSet {
  const own = (a: Uint8Array): Uint8Array => (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice());
  return { count: s.count, rows: s.rows, cols: s.cols, pixels: own(s.pixels), labels: own(s.labels) };
}

/*
 * Why a worker thread, not an abort flag polled inside SMO and tree growth: the fit is one
 * synchronous computation, and a cancel reaches this process as an event (a Redis message, then
 * the job's AbortSignal) that the event loop only delivers once the fit returns. A polled flag
 * would need either the fit made asynchronous (yielding inside the solver's hot loop) or another
 * thread to set it; a worker gives the other thread, and `terminate()` stops a tight loop
 * without any check in it, frees the kernel cache with the thread, and keeps the caller's event
 * loop free meanwhile (queue lock renewals, Redis, progress events of other jobs).
 */
function fitInWorker<R>(request: FitRequest, o: FitInWorkerOptions): Promise<R> {
  const { signal, log } = o;
  if (signal?.aborted) return Promise.reject(new FitCancelled(`${request.family} fit was cancelled before it started`));
  const { entry, eval: isEval } = workerEntry();
  const worker = new Worker(entry, { eval: isEval, workerData: request });
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    // Settles once the thread is gone: a cancelled fit has stopped computing when the promise rejects.
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      worker.terminate().then(fn, fn);
    };
    function onAbort(): void {
      finish(() => reject(new FitCancelled(`${request.family} fit was cancelled`)));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FitMessage) => {
      if (m.kind === 'log') log?.(m.message);
      // The worker posts only its own fit's report: R is the report of request.family.
      else if (m.kind === 'done') finish(() => resolve(m.report as R));
      else {
        const err = new Error(m.message);
        err.name = m.name;
        if (m.stack) err.stack = m.stack;
        finish(() => reject(err));
      }
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`${request.family} fit worker exited with code ${code}`))));
  });
}

/** `trainSvm` in a worker thread: the same model, and a fit that `signal` stops within milliseconds. */
export function fitSvm(set: DigitSet, params: SvmParamsInput, o: FitInWorkerOptions & { readonly calibration?: DigitSet } = {}): Promise<SvmTrainReport> {
  return fitInWorker({ family: 'svm', set: compact(set), params, calibration: o.calibration ? compact(o.calibration) : null }, o);
}

/** `trainForest` in a worker thread: the same forest, and a fit that `signal` stops within milliseconds. */
export function fitForest(set: DigitSet, params: ForestParamsInput, o: FitInWorkerOptions = {}): Promise<ForestTrainReport> {
  return fitInWorker({ family: 'random_forest', set: compact(set), params }, o);
}
