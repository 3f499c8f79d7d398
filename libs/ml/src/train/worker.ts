import { parentPort, workerData } from 'node:worker_threads';
import { type RunRequest, runTraining } from './train-loop';

/** Messages from the training worker to the thread that started it. */
export type WorkerMessage =
  | { readonly kind: 'progress'; readonly progress: import('./config').Progress }
  | { readonly kind: 'done'; readonly model: import('./config').TrainedModel }
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly stack?: string };

interface WorkerInput {
  readonly request: RunRequest;
  /** Int32Array view: index 0 becomes 1 when the caller aborts (read between steps, no message round-trip). */
  readonly cancel: SharedArrayBuffer;
}

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const input = workerData as WorkerInput;
const flag = new Int32Array(input.cancel);
const post = (m: WorkerMessage): void => port.postMessage(m);

runTraining(input.request, {
  progress: (progress) => post({ kind: 'progress', progress }),
  cancelled: () => Atomics.load(flag, 0) === 1,
}).then(
  (model) => post({ kind: 'done', model }),
  (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ kind: 'error', name: err.name, message: err.message, stack: err.stack });
  },
);
