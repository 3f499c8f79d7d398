import type { InputNormalization } from '@inkwell/contracts';

export type ExecutionProvider = 'cpu' | 'cuda' | 'tensorrt';

/** One model as a worker needs it: the graph bytes and how to feed it. */
export interface WorkerModel {
  readonly modelId: string;
  readonly onnx: Uint8Array;
  readonly inputName: string;
  readonly outputName: string;
  readonly normalization: InputNormalization;
}

export interface WorkerOptions {
  readonly provider: ExecutionProvider;
  readonly intraOpThreads: number;
  /** Warm-up runs this many rows too, so the first real batch finds its buffers allocated. */
  readonly warmupRows: number;
}

/** Main thread -> ORT worker. */
export type ToWorker =
  | { readonly type: 'load'; readonly setId: number; readonly models: readonly WorkerModel[]; readonly options: WorkerOptions }
  /** `pixels`: rows x 784 ink intensities (0..1); the worker normalises per model. */
  | { readonly type: 'run'; readonly jobId: number; readonly setId: number; readonly rows: number; readonly pixels: Float32Array }
  | { readonly type: 'release'; readonly setId: number }
  /** Release every session, then say `closed` (terminating a worker that holds sessions can abort the process). */
  | { readonly type: 'close' };

/** ORT worker -> main thread. */
export type FromWorker =
  | { readonly type: 'loaded'; readonly setId: number; readonly providers: readonly ExecutionProvider[]; readonly warnings: readonly string[] }
  /** `model`: the index in the load's `models` of the one that could not be loaded or warmed, when it was one model's fault. */
  | { readonly type: 'load_failed'; readonly setId: number; readonly message: string; readonly model?: number }
  /** `probs`: rows x 10, the mean over the set's models. */
  | { readonly type: 'result'; readonly jobId: number; readonly probs: Float32Array; readonly runMs: number }
  | { readonly type: 'run_failed'; readonly jobId: number; readonly message: string }
  | { readonly type: 'closed' };
