import { type DigitSet, MNIST_NORMALIZATION, type Normalization, toFloatBatch } from '@inkwell/ml-data';
import { createOrtSession, type ExecutionProvider } from '@inkwell/onnx';
import * as ort from 'onnxruntime-node';
import type { InputLayout } from './onnx-structure';

/** What an imported model's single output holds: probabilities as is, or logits to be softmaxed. */
export type OutputKind = 'probs' | 'logits';

/** How to feed an imported model and read its answer (what the import checks found). */
export interface ImportedIo {
  readonly inputName: string;
  readonly inputLayout: InputLayout;
  readonly outputName: string;
  readonly outputKind: OutputKind;
  /** The pixel scaling the model was trained with; default MNIST mean/std, like the platform's own models. */
  readonly normalization?: Normalization;
}

export interface RunImportedOptions {
  readonly batchSize?: number;
  readonly threads?: number;
  readonly provider?: ExecutionProvider;
  readonly log?: (message: string) => void;
}

/** The model's raw output rows [count * 10] for `set`, fed in its own layout; shape checked per batch. */
export async function runImported(model: Uint8Array | string, io: Omit<ImportedIo, 'outputKind'>, set: DigitSet, options: RunImportedOptions = {}): Promise<Float32Array> {
  const batch = options.batchSize ?? 1000;
  const { session } = await createOrtSession(model, { provider: options.provider, intraOpThreads: options.threads ?? 2, log: options.log });
  try {
    const out = new Float32Array(set.count * 10);
    for (let from = 0; from < set.count; from += batch) {
      const n = Math.min(batch, set.count - from);
      const x = toFloatBatch(set, Array.from({ length: n }, (_, i) => from + i), io.normalization ?? MNIST_NORMALIZATION);
      const dims = io.inputLayout === 'nchw' ? [n, 1, 28, 28] : [n, 784];
      const result = await session.run({ [io.inputName]: new ort.Tensor('float32', x, dims) });
      const y = result[io.outputName];
      if (!y || y.type !== 'float32' || y.dims.length !== 2 || y.dims[0] !== n || y.dims[1] !== 10) {
        throw new Error(`output ${io.outputName} of a batch of ${n} is ${y ? `${y.type} [${y.dims.join(',')}]` : 'missing'}, not float32 [${n},10]`);
      }
      out.set(y.data as Float32Array, from * 10);
    }
    return out;
  } finally {
    await session.release();
  }
}

/**
 * Probabilities or logits? Rows that lie in [0, 1] and sum to 1 (within 1e-3, float32 softmax
 * rounding) are probabilities; anything else is taken as logits. A model's logits could pass for
 * probabilities only by being a probability distribution already, which is then what they are.
 */
export function outputKindOf(rows: Float32Array): OutputKind {
  for (let r = 0; r < rows.length / 10; r++) {
    let sum = 0;
    for (let c = 0; c < 10; c++) {
      const v = rows[r * 10 + c] as number;
      if (v < -1e-6 || v > 1 + 1e-6) return 'logits';
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) return 'logits';
  }
  return 'probs';
}

/** Row-wise softmax of [N, 10] logits (max-subtracted, so large logits do not overflow). */
export function softmaxRows(logits: Float32Array): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length / 10; r++) {
    let max = -Infinity;
    for (let c = 0; c < 10; c++) max = Math.max(max, logits[r * 10 + c] as number);
    let sum = 0;
    for (let c = 0; c < 10; c++) sum += out[r * 10 + c] = Math.exp((logits[r * 10 + c] as number) - max);
    for (let c = 0; c < 10; c++) out[r * 10 + c] = (out[r * 10 + c] as number) / sum;
  }
  return out;
}

/**
 * Class probabilities [count * 10] of an accepted imported model on `set`: the numbers its
 * evaluation (metrics.json, compare) is computed from, softmaxed when the model outputs logits.
 */
export async function evaluateImported(model: Uint8Array | string, io: ImportedIo, set: DigitSet, options: RunImportedOptions = {}): Promise<Float32Array> {
  const raw = await runImported(model, io, set, options);
  return io.outputKind === 'logits' ? softmaxRows(raw) : raw;
}
