import { type DigitSet, MNIST_NORMALIZATION, type Normalization, toFloatBatch } from '@inkwell/ml-data';
import { createOrtSession, type ExecutionProvider } from '@inkwell/onnx';
import * as ort from 'onnxruntime-node';

export interface OnnxEvalOptions {
  /** Images per session run (default 1000): large enough to amortise the call, small enough for memory. */
  readonly batchSize?: number;
  readonly normalization?: Normalization;
  readonly inputName?: string;
  readonly outputName?: string;
  readonly threads?: number;
  /** Default `cpu`; another provider falls back to CPU with one line through `log`. */
  readonly provider?: ExecutionProvider;
  readonly log?: (message: string) => void;
  /** Checked before each batch: a cancelled training stops scoring within one batch. */
  readonly signal?: AbortSignal | undefined;
}

/** `OnnxEvalOptions.signal` was aborted between two batches. */
export class EvaluationCancelled extends Error {
  override readonly name = 'AbortError';
}

/**
 * Class probabilities [count * 10] from a model FILE run in onnxruntime-node: the numbers a user
 * of the served model would get, not the training engine's.
 */
export async function evaluateOnnx(modelPath: string, set: DigitSet, options: OnnxEvalOptions = {}): Promise<Float32Array> {
  const batch = options.batchSize ?? 1000;
  const input = options.inputName ?? 'image';
  const output = options.outputName ?? 'probs';
  const { session } = await createOrtSession(modelPath, { provider: options.provider, intraOpThreads: options.threads ?? 2, log: options.log });
  try {
    const probs = new Float32Array(set.count * 10);
    for (let from = 0; from < set.count; from += batch) {
      if (options.signal?.aborted) throw new EvaluationCancelled(`${modelPath}: scoring was cancelled`);
      const n = Math.min(batch, set.count - from);
      const idx = Array.from({ length: n }, (_, i) => from + i);
      const x = toFloatBatch(set, idx, options.normalization ?? MNIST_NORMALIZATION);
      const out = await session.run({ [input]: new ort.Tensor('float32', x, [n, 1, 28, 28]) });
      const p = out[output];
      if (!p || p.dims.length !== 2 || p.dims[1] !== 10) throw new Error(`${modelPath}: output '${output}' is not [N, 10]`);
      probs.set(p.data as Float32Array, from * 10);
    }
    return probs;
  } finally {
    await session.release();
  }
}

/** The ensemble's prediction: the mean of its members' probabilities, each from its own ONNX file. */
export async function evaluateEnsemble(modelPaths: readonly string[], set: DigitSet, options: OnnxEvalOptions = {}): Promise<{ mean: Float32Array; members: Float32Array[] }> {
  if (modelPaths.length === 0) throw new Error('an ensemble needs at least one member');
  const members: Float32Array[] = [];
  for (const path of modelPaths) members.push(await evaluateOnnx(path, set, options));
  return { mean: meanProbs(members), members };
}

export function meanProbs(members: readonly Float32Array[]): Float32Array {
  const first = members[0];
  if (!first) throw new Error('no members to average');
  const out = new Float32Array(first.length);
  for (const m of members) {
    if (m.length !== out.length) throw new Error('ensemble members disagree on the number of rows');
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (m[i] as number);
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / members.length;
  return out;
}
