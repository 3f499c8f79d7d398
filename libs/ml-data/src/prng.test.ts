import { describe, expect, it } from 'vitest';
import { Rng } from './prng';
import { permutation } from './shuffle';

describe('Rng', () => {
  it('repeats the same stream for the same seed and differs across seeds', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('draws uniform floats in [0,1) with mean 1/2 and normals with unit variance', () => {
    const rng = new Rng(1);
    let sum = 0, sumN = 0, sumN2 = 0, min = 1, max = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      sum += u; min = Math.min(min, u); max = Math.max(max, u);
      const z = rng.normal();
      sumN += z; sumN2 += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(sumN2 / n).toBeCloseTo(1, 1);
  });

  it('int(n) covers 0..n-1 evenly', () => {
    const rng = new Rng(7);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 50_000; i++) counts[rng.int(10)]! += 1;
    for (const c of counts) expect(Math.abs(c - 5000)).toBeLessThan(300);
  });
});

describe('permutation', () => {
  it('is a seeded Fisher-Yates shuffle of 0..n-1', () => {
    const p = permutation(1000, new Rng(5));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation(1000, new Rng(5))).toEqual(p);
    expect(p.slice(0, 20)).not.toEqual(Uint32Array.from({ length: 20 }, (_, i) => i));
  });
});
