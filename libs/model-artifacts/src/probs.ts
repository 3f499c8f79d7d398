/** Fraction of rows of probs [N, 10] whose argmax is the label. */
export function accuracyOf(labels: ArrayLike<number>, probs: ArrayLike<number>, classes = 10): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if ((probs[i * classes + k] as number) > (probs[i * classes + best] as number)) best = k;
    if (best === labels[i]) correct++;
  }
  return correct / labels.length;
}

/**
 * Undoes a temperature already applied inside a graph: softmax(T * log p) equals softmax(logits)
 * when p = softmax(logits / T), so "before calibration" numbers need no second export.
 */
export function untemper(probs: Float32Array, temperature: number, classes = 10): Float32Array {
  const out = new Float32Array(probs.length);
  for (let r = 0; r < probs.length; r += classes) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) {
      const v = temperature * Math.log(Math.max(1e-30, probs[r + k] as number));
      out[r + k] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += out[r + k] = Math.exp((out[r + k] as number) - max);
    for (let k = 0; k < classes; k++) out[r + k] = (out[r + k] as number) / sum;
  }
  return out;
}
