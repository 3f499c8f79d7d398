import { z } from 'zod';

/**
 * Below this many discordant pairs (b + c) the chi-square approximation is poor, so the exact
 * binomial test is used instead (the usual textbook rule of thumb, e.g. b + c < 25).
 */
export const MCNEMAR_EXACT_BELOW = 25;

export const McNemarMethod = z.enum(['exact_binomial', 'chi_square_corrected']);
export type McNemarMethod = z.infer<typeof McNemarMethod>;

export const McNemarResult = z.object({
  /** Images model A classifies correctly and model B does not. */
  b: z.number().int().nonnegative(),
  /** Images model B classifies correctly and model A does not. */
  c: z.number().int().nonnegative(),
  /**
   * exact_binomial: min(b, c), the binomial count the p-value is the tail of;
   * chi_square_corrected: (|b − c| − 1)² / (b + c), clamped at 0, with 1 degree of freedom.
   */
  statistic: z.number().nonnegative(),
  /** Two-sided: the chance of a split at least this lopsided if both models were equally accurate. */
  p_value: z.number().min(0).max(1),
  method: McNemarMethod,
});
export type McNemarResult = z.infer<typeof McNemarResult>;

/**
 * McNemar's test of whether two classifiers scored on the SAME images differ in accuracy. Only the
 * images where exactly one is right carry information: under "equally accurate" each of those is
 * a fair coin between A and B. With fewer than MCNEMAR_EXACT_BELOW of them the binomial tail is
 * summed exactly; with more, the continuity-corrected chi-square(1) approximation is used.
 */
export function mcnemar(truth: ArrayLike<number>, predA: ArrayLike<number>, predB: ArrayLike<number>): McNemarResult {
  if (predA.length !== truth.length || predB.length !== truth.length) {
    throw new RangeError(`truth, A and B differ in length (${truth.length}, ${predA.length}, ${predB.length})`);
  }
  let b = 0, c = 0;
  for (let i = 0; i < truth.length; i++) {
    const aRight = predA[i] === truth[i];
    const bRight = predB[i] === truth[i];
    if (aRight && !bRight) b++;
    else if (bRight && !aRight) c++;
  }
  return mcnemarFromCounts(b, c);
}

/** The test from the discordant counts alone (b: only A right, c: only B right). */
export function mcnemarFromCounts(b: number, c: number): McNemarResult {
  const n = b + c;
  if (n < MCNEMAR_EXACT_BELOW) {
    const k = Math.min(b, c);
    return { b, c, statistic: k, p_value: Math.min(1, 2 * binomialCdfHalf(k, n)), method: 'exact_binomial' };
  }
  const statistic = Math.max(0, Math.abs(b - c) - 1) ** 2 / n;
  return { b, c, statistic, p_value: Math.min(1, chiSquare1Survival(statistic)), method: 'chi_square_corrected' };
}

/**
 * P(X <= k) for X ~ Binomial(n, 1/2). Only called for n < MCNEMAR_EXACT_BELOW, where every C(n, i)
 * and 2^n is an exact double, so an even split sums to exactly 1/2 and its p-value to exactly 1.
 */
function binomialCdfHalf(k: number, n: number): number {
  let coefficient = 1; // C(n, 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += coefficient;
    coefficient = (coefficient * (n - i)) / (i + 1);
  }
  return sum / 2 ** n;
}

/** P(chi-square with 1 degree of freedom > x) = P(|Z| > sqrt x) = erfc(sqrt(x / 2)). */
export function chiSquare1Survival(x: number): number {
  if (x <= 0) return 1;
  return erfc(Math.sqrt(x / 2));
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * Complementary error function to about 1e-14 relative error. Below 2, 1 − erf(x) with erf from
 * its all-positive series erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (2n+1)!! (no cancellation, and
 * erfc(x) > 0.004 there, so the subtraction loses nothing that matters). From 2 up, the continued
 * fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))), evaluated by modified Lentz,
 * keeps full relative precision in the far tail where 1 − erf would round to 0.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    const x2 = x * x;
    let term = x, sum = x;
    for (let n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
    }
    return 1 - TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }
  if (x > 27) return 0; // e^(-729) underflows a double
  const tiny = 1e-300;
  let f = x, C = x, D = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    D = x + a * D;
    D = 1 / (Math.abs(D) < tiny ? tiny : D);
    C = x + a / C;
    if (Math.abs(C) < tiny) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
