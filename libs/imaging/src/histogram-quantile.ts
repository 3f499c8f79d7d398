/** The smallest value v (0..255) with at least `q` of the histogram's `total` counts at or below it; 255 when none. */
export function histogramQuantile(hist: ArrayLike<number>, total: number, q: number): number {
  const target = q * total;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v] ?? 0;
    if (seen >= target && seen > 0) return v;
  }
  return 255;
}
