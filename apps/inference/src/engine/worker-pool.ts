import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@inkwell/logger';
import type { ExecutionProvider, FromWorker, ToWorker, WorkerModel, WorkerOptions } from './worker-protocol';

/**
 * How to start a worker. From the sources (tsx, tests) the worker is TypeScript: register tsx in it
 * through its ESM API, then import the module (the same bootstrap @inkwell/ml's training worker
 * uses: Node passes neither loader hooks nor --import on to worker threads). A bundle (a `.mjs`
 * build) ships the worker beside itself as `ort-worker.mjs`, and tsx is not installed there.
 */
function workerEntry(): { entry: string | URL; eval: boolean } {
  const bundled = new URL('./ort-worker.mjs', import.meta.url);
  if (import.meta.url.endsWith('.mjs') && existsSync(fileURLToPath(bundled))) return { entry: bundled, eval: false };
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const workerUrl = new URL('./ort-worker.ts', import.meta.url).href;
  return { entry: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`, eval: true };
}

/** The worker thread running a batch died: the batch itself may be fine on another worker. */
export class WorkerExitedError extends Error {
  constructor(how: string) {
    super(`inference worker ${how}`);
    this.name = 'WorkerExitedError';
  }
}

/** One model of a set could not be loaded or warmed (a corrupt graph, wrong tensor names). */
export class ModelLoadError extends Error {
  constructor(
    /** Its index in the set as loaded: model ids need not be unique across folders. */
    readonly index: number,
    readonly modelId: string,
    readonly reason: string,
  ) {
    super(`model ${modelId} could not be loaded: ${reason}`);
    this.name = 'ModelLoadError';
  }
}

export interface LoadResult {
  /** Each model's provider after any fallback, in set order. */
  readonly providers: readonly ExecutionProvider[];
  readonly warnings: readonly string[];
}

interface Job {
  readonly resolve: (r: { probs: Float32Array; runMs: number }) => void;
  readonly reject: (e: Error) => void;
}
interface Slot {
  readonly worker: Worker;
  busy: boolean;
  closing?: () => void;
  readonly jobs: Map<number, Job>;
  readonly loads: Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>;
}

/**
 * A fixed set of ONNX Runtime worker threads; each runs one batch at a time (the service's bounded
 * inference concurrency). Every worker holds its own sessions of every loaded model set.
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private nextJob = 1;
  private closed = false;
  /** What every worker holds, so a replacement worker can load the same sets. */
  private readonly loaded = new Map<number, { models: readonly WorkerModel[]; options: WorkerOptions }>();
  /** Called when a worker becomes free, so the batcher can start the next batch. */
  onIdle: () => void = () => undefined;

  constructor(size: number, private readonly logger: Logger) {
    this.slots = Array.from({ length: size }, () => this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  get idle(): number {
    return this.slots.filter((s) => !s.busy).length;
  }

  /** Loads and warms a set in every worker; resolves with each model's actual provider. */
  async loadSet(setId: number, models: readonly WorkerModel[], options: WorkerOptions): Promise<LoadResult> {
    // Recorded first, so a worker replaced during this load gets the set too.
    this.loaded.set(setId, { models, options });
    const results = await Promise.allSettled(
      this.slots.map(
        (slot) =>
          new Promise<LoadResult>((resolve, reject) => {
            slot.loads.set(setId, { resolve, reject });
            this.post(slot, { type: 'load', setId, models, options });
          }),
      ),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      this.release(setId);
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    const first = results[0];
    return first?.status === 'fulfilled' ? first.value : { providers: [], warnings: [] };
  }

  /** Runs rows x 784 ink pixels through a set on an idle worker (the caller checked `idle`). */
  run(setId: number, pixels: Float32Array, rows: number): Promise<{ probs: Float32Array; runMs: number }> {
    const slot = this.slots.find((s) => !s.busy);
    if (!slot) return Promise.reject(new Error('no idle inference worker'));
    slot.busy = true;
    const jobId = this.nextJob++;
    return new Promise((resolve, reject) => {
      slot.jobs.set(jobId, { resolve, reject });
      this.post(slot, { type: 'run', jobId, setId, rows, pixels }, [pixels.buffer as ArrayBuffer]);
    });
  }

  release(setId: number): void {
    this.loaded.delete(setId);
    for (const slot of this.slots) this.post(slot, { type: 'release', setId });
  }

  /** A crashed worker's replacement takes no batch until it holds every loaded set. */
  private replace(dead: Slot): void {
    const i = this.slots.indexOf(dead);
    if (i < 0) return;
    const slot = this.spawn();
    slot.busy = true;
    this.slots[i] = slot;
    const loads = [...this.loaded].map(
      ([setId, { models, options }]) =>
        new Promise<LoadResult>((resolve, reject) => {
          slot.loads.set(setId, { resolve, reject });
          this.post(slot, { type: 'load', setId, models, options });
        }),
    );
    Promise.all(loads).then(
      () => {
        slot.busy = false;
        this.onIdle();
      },
      (err: unknown) => this.logger.error({ err }, 'replacement inference worker could not load the model sets'),
    );
  }

  /** Releases every session in every worker, then stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const closed = new Promise<void>((resolve) => {
          slot.worker.once('exit', () => resolve());
          slot.closing = resolve;
        });
        this.post(slot, { type: 'close' });
        await Promise.race([closed, new Promise((r) => setTimeout(r, 5000).unref())]);
        await slot.worker.terminate();
      }),
    );
  }

  private post(slot: Slot, msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    slot.worker.postMessage(msg, transfer);
  }

  private spawn(): Slot {
    const { entry, eval: isEval } = workerEntry();
    const worker = new Worker(entry, { eval: isEval });
    const slot: Slot = { worker, busy: false, jobs: new Map(), loads: new Map() };
    worker.on('message', (msg: FromWorker) => this.onMessage(slot, msg));
    const failAll = (err: Error): void => {
      for (const job of slot.jobs.values()) job.reject(err);
      for (const load of slot.loads.values()) load.reject(err);
      slot.jobs.clear();
      slot.loads.clear();
    };
    worker.on('error', (err) => {
      this.logger.error({ err }, 'inference worker failed');
      failAll(new WorkerExitedError(`failed: ${err.message}`));
    });
    worker.on('exit', (code) => {
      if (this.closed) return;
      this.logger.error({ code }, 'inference worker exited; starting a replacement');
      failAll(new WorkerExitedError(`exited with code ${code}`));
      this.replace(slot);
    });
    return slot;
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.type === 'closed') return slot.closing?.();
    if (msg.type === 'loaded' || msg.type === 'load_failed') {
      const load = slot.loads.get(msg.setId);
      slot.loads.delete(msg.setId);
      if (msg.type === 'loaded') load?.resolve({ providers: msg.providers, warnings: msg.warnings });
      else {
        const model = msg.model === undefined ? undefined : this.loaded.get(msg.setId)?.models[msg.model];
        load?.reject(model === undefined || msg.model === undefined ? new Error(msg.message) : new ModelLoadError(msg.model, model.modelId, msg.message));
      }
      return;
    }
    const job = slot.jobs.get(msg.jobId);
    slot.jobs.delete(msg.jobId);
    slot.busy = false;
    if (msg.type === 'result') job?.resolve({ probs: msg.probs, runMs: msg.runMs });
    else job?.reject(new Error(msg.message));
    this.onIdle();
  }
}
