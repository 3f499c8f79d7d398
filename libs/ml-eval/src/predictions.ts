import { argmaxRows, type Matrix } from './input';

/**
 * The predicted class of each row of probs [n, K] as one byte per sample (K <= 256): the compact
 * form the registry stores for every test image, so two versions can be compared sample by sample.
 */
export function argmaxBytes(probs: Matrix, n: number): Uint8Array {
  if (n <= 0 || probs.length % n !== 0) throw new RangeError(`${probs.length} values do not fit ${n} rows`);
  const k = probs.length / n;
  if (k < 2 || k > 256) throw new RangeError(`${k} classes do not fit one byte per prediction`);
  return Uint8Array.from(argmaxRows(probs, n, k));
}

/** Each row divided by its sum (a confusion matrix's rows become per-class recall rates); an all-zero row stays zero. */
export function rowNormalize(counts: readonly (readonly number[])[]): number[][] {
  return counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}
