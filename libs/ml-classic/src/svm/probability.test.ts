import { describe, expect, it } from 'vitest';
import { couplePairwise, fitSigmoid, pairProbability } from './probability';

describe('Platt sigmoid', () => {
  it('recovers the sigmoid that generated the labels', () => {
    let seed = 3;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const truth = { a: -2, b: 0.5 };
    const f: number[] = [], pos: boolean[] = [];
    for (let i = 0; i < 20_000; i++) {
      const d = 4 * rand() - 2;
      f.push(d);
      pos.push(rand() < pairProbability(d, truth));
    }
    const fit = fitSigmoid(f, pos);
    expect(fit.a).toBeCloseTo(truth.a, 0);
    expect(Math.abs(fit.a - truth.a)).toBeLessThan(0.15);
    expect(Math.abs(fit.b - truth.b)).toBeLessThan(0.1);
  });
});

describe('pairwise coupling', () => {
  it('recovers class probabilities from consistent pairwise ones', () => {
    const p = [0.5, 0.3, 0.15, 0.05];
    const K = p.length;
    const r = new Float64Array(K * K);
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) if (i !== j) r[i * K + j] = (p[i] ?? 0) / ((p[i] ?? 0) + (p[j] ?? 0));
    const out = new Float64Array(K);
    couplePairwise(r, K, out);
    out.forEach((v, k) => expect(v).toBeCloseTo(p[k] ?? 0, 2));
  });
});
