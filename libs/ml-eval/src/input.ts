/**
 * Shared input checks. Probability and logit matrices are flat row-major [N, K] arrays
 * (Float32Array from onnxruntime, or plain numbers), N = labels.length.
 */
export type Matrix = ArrayLike<number>;

export function classCount(labels: ArrayLike<number>, matrix: Matrix): number {
  const n = labels.length;
  if (n === 0) throw new RangeError('no samples to evaluate');
  const k = matrix.length / n;
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`matrix of ${matrix.length} values does not fit ${n} rows of at least 2 classes`);
  for (let i = 0; i < n; i++) {
    const l = labels[i] as number;
    if (!Number.isInteger(l) || l < 0 || l >= k) throw new RangeError(`label ${l} at row ${i} is outside 0..${k - 1}`);
  }
  return k;
}

export function argmaxRows(matrix: Matrix, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if ((matrix[i * k + c] as number) > (matrix[i * k + best] as number)) best = c;
    out[i] = best;
  }
  return out;
}
