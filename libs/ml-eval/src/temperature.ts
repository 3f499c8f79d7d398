import { classCount, type Matrix } from './input';

/** Row-wise softmax(logits / T) of a flat [N, K] matrix. */
export function softmaxWithTemperature(logits: Matrix, numClasses: number, temperature = 1): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length; r += numClasses) {
    let max = -Infinity;
    for (let k = 0; k < numClasses; k++) max = Math.max(max, (logits[r + k] as number) / temperature);
    let sum = 0;
    for (let k = 0; k < numClasses; k++) sum += out[r + k] = Math.exp((logits[r + k] as number) / temperature - max);
    for (let k = 0; k < numClasses; k++) out[r + k] = (out[r + k] as number) / sum;
  }
  return out;
}

/** log(p) with p clipped at 1e-7: logits for models that only give probabilities (SVM, forest). */
export function logitsFromProbs(probs: Matrix): Float32Array {
  return Float32Array.from(probs as ArrayLike<number>, (p) => Math.log(Math.min(1, Math.max(1e-7, p))));
}

/** Mean negative log-likelihood of softmax(logits / T). */
export function nllAtTemperature(labels: ArrayLike<number>, logits: Matrix, temperature: number): number {
  const K = classCount(labels, logits);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const r = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, (logits[r + k] as number) / temperature);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp((logits[r + k] as number) / temperature - max);
    total += Math.log(sum) + max - (logits[r + (labels[i] as number)] as number) / temperature;
  }
  return total / labels.length;
}

export interface TemperatureFit {
  readonly temperature: number;
  readonly nllBefore: number;
  readonly nllAfter: number;
}

const MIN_LOG_T = Math.log(0.05);
const MAX_LOG_T = Math.log(20);
const INV_PHI = (Math.sqrt(5) - 1) / 2;

/**
 * Temperature scaling (Guo et al. 2017): the T minimising validation NLL of softmax(logits / T).
 * NLL is convex in 1/T, hence unimodal in log T, so golden-section search on log T over
 * [0.05, 20] finds the minimum (to 1e-4 in log T) without derivatives. Fit it on the validation
 * split, never the test split.
 */
export function fitTemperature(labels: ArrayLike<number>, logits: Matrix): TemperatureFit {
  const f = (logT: number): number => nllAtTemperature(labels, logits, Math.exp(logT));
  let a = MIN_LOG_T, b = MAX_LOG_T;
  let c = b - INV_PHI * (b - a), d = a + INV_PHI * (b - a);
  let fc = f(c), fd = f(d);
  while (b - a > 1e-4) {
    if (fc < fd) {
      b = d; d = c; fd = fc;
      c = b - INV_PHI * (b - a); fc = f(c);
    } else {
      a = c; c = d; fc = fd;
      d = a + INV_PHI * (b - a); fd = f(d);
    }
  }
  const temperature = Math.exp((a + b) / 2);
  return { temperature, nllBefore: f(0), nllAfter: nllAtTemperature(labels, logits, temperature) };
}
