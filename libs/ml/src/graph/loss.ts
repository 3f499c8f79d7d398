import type { Ctx } from './ctx';

/**
 * Mean softmax cross-entropy against a target distribution `target` [N, K] (one-hot, or smoothed
 * by the caller). Returns the loss scalar and dLoss/dlogits = (softmax(z) - target) / N.
 */
export function softmaxCrossEntropy(ctx: Ctx, logits: string, target: string): { loss: string; dLogits: string } {
  const logp = ctx.op('LogSoftmax', [logits], { axis: 1 });
  const perSample = ctx.op('ReduceSum', [ctx.op('Mul', [target, logp]), ctx.ints([1])], { keepdims: 0 });
  const loss = ctx.op('Neg', [ctx.op('ReduceMean', [perSample], { keepdims: 0 })]);
  const invN = ctx.op('Reciprocal', [ctx.batchSize(logits)]);
  const dLogits = ctx.op('Mul', [ctx.op('Sub', [ctx.op('Exp', [logp]), target]), invN]);
  return { loss, dLogits };
}

/** Fills `out` [n, classes] with smoothed one-hot targets: 1 - eps + eps/K on the label, eps/K elsewhere. */
export function fillTargets(out: Float32Array | Float64Array, labels: ArrayLike<number>, n: number, classes: number, smoothing: number): void {
  const off = smoothing / classes;
  out.fill(off, 0, n * classes);
  for (let i = 0; i < n; i++) out[i * classes + (labels[i] ?? 0)] = 1 - smoothing + off;
}
