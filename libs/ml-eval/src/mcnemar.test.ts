import { describe, expect, it } from 'vitest';
import { erfc, mcnemar, MCNEMAR_EXACT_BELOW } from './mcnemar';

/** Labels and two prediction vectors with `b` images only A gets right, `c` only B, `both` both right, `neither` both wrong. */
function pairs(b: number, c: number, both = 5, neither = 3): { truth: number[]; a: number[]; b: number[] } {
  const truth: number[] = [], pa: number[] = [], pb: number[] = [];
  const push = (aRight: boolean, bRight: boolean, n: number): void => {
    for (let i = 0; i < n; i++) {
      const t = i % 10;
      truth.push(t);
      pa.push(aRight ? t : (t + 1) % 10);
      // When both are wrong they may be wrong differently: that is still "both wrong".
      pb.push(bRight ? t : (t + 2) % 10);
    }
  };
  push(true, false, b);
  push(false, true, c);
  push(true, true, both);
  push(false, false, neither);
  return { truth, a: pa, b: pb };
}

describe('erfc', () => {
  // Reference values from Python's math.erfc (double precision).
  it.each([
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [Math.SQRT2, 0.04550026389635842],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-5],
    [6, 2.1519736712498913e-17],
  ])('erfc(%f) = %g to 1e-12 relative', (x, want) => {
    expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1e-12);
  });

  it('is 2 - erfc(-x) for negative x', () => {
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 14);
  });
});

describe('mcnemar', () => {
  it('uses the exact binomial test for few discordant pairs: b=10, c=2', () => {
    const { truth, a, b } = pairs(10, 2);
    const r = mcnemar(truth, a, b);
    // n = b + c = 12 < 25: two-sided exact p = 2 * sum_{k<=2} C(12,k) / 2^12
    //   = 2 * (1 + 12 + 66) / 4096 = 158 / 4096 = 0.0385742...
    expect(r).toMatchObject({ b: 10, c: 2, method: 'exact_binomial', statistic: 2 });
    expect(r.p_value).toBeCloseTo(158 / 4096, 12);
  });

  it('is symmetric in A and B', () => {
    const { truth, a, b } = pairs(10, 2);
    const r = mcnemar(truth, b, a);
    expect(r).toMatchObject({ b: 2, c: 10 });
    expect(r.p_value).toBeCloseTo(158 / 4096, 12);
  });

  it('uses chi-square with continuity correction from 25 discordant pairs: b=32, c=17', () => {
    const { truth, a, b } = pairs(32, 17);
    const r = mcnemar(truth, a, b);
    // n = 49 >= 25: statistic = (|32 - 17| - 1)^2 / 49 = 14^2 / 49 = 196 / 49 = 4.
    // chi-square(1) survival at 4 = P(|Z| > 2) = erfc(2 / sqrt 2) = erfc(sqrt 2) = 0.0455002638963584
    // (the familiar "two-sided p at z = 2" from a normal table: 2 * (1 - 0.97725) = 0.0455).
    expect(r).toMatchObject({ b: 32, c: 17, method: 'chi_square_corrected' });
    expect(r.statistic).toBeCloseTo(4, 12);
    expect(r.p_value).toBeCloseTo(0.0455002638963584, 10);
  });

  it('switches method exactly at the threshold', () => {
    expect(MCNEMAR_EXACT_BELOW).toBe(25);
    const exact = pairs(13, 11); // n = 24
    expect(mcnemar(exact.truth, exact.a, exact.b).method).toBe('exact_binomial');
    const chi = pairs(13, 12); // n = 25
    expect(mcnemar(chi.truth, chi.a, chi.b).method).toBe('chi_square_corrected');
  });

  it('gives p = 1 when the models never disagree on correctness, or disagree evenly', () => {
    const same = pairs(0, 0);
    expect(mcnemar(same.truth, same.a, same.b)).toMatchObject({ b: 0, c: 0, p_value: 1, method: 'exact_binomial' });
    const even = pairs(6, 6);
    expect(mcnemar(even.truth, even.a, even.b).p_value).toBe(1);
    // Large and even: corrected statistic (0 - 1)^2 / n is clamped to 0 -> p = 1.
    const evenLarge = pairs(40, 40);
    expect(mcnemar(evenLarge.truth, evenLarge.a, evenLarge.b)).toMatchObject({ statistic: 0, p_value: 1 });
  });

  it('keeps the exact p finite and tiny for a lopsided split: b=24, c=0', () => {
    const { truth, a, b } = pairs(24, 0);
    // 2 * C(24,0) / 2^24 = 2^-23
    expect(mcnemar(truth, a, b).p_value).toBeCloseTo(2 ** -23, 15);
  });

  it('refuses vectors of different lengths', () => {
    expect(() => mcnemar([1, 2], [1, 2], [1])).toThrow(/length/);
  });
});
