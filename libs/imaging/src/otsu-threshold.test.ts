import { describe, expect, it } from 'vitest';
import { histogram256, otsuThreshold } from './otsu-threshold';
import { mulberry32 } from './fixtures/prng';

function hist(entries: Record<number, number>): Uint32Array {
  const h = new Uint32Array(256);
  for (const [v, n] of Object.entries(entries)) h[Number(v)] = n;
  return h;
}

/** Brute force: between-class variance of splitting at t (values <= t low). */
function betweenVariance(h: Uint32Array, t: number): number {
  let n0 = 0, s0 = 0, n1 = 0, s1 = 0;
  h.forEach((n, v) => {
    if (v <= t) { n0 += n; s0 += v * n; } else { n1 += n; s1 += v * n; }
  });
  if (n0 === 0 || n1 === 0) return 0;
  const total = n0 + n1;
  return (n0 / total) * (n1 / total) * (s0 / n0 - s1 / n1) ** 2;
}

describe('otsuThreshold', () => {
  it('splits two pure tones half-way between them, with exact class statistics', () => {
    const r = otsuThreshold(hist({ 50: 300, 200: 100 }));
    expect(r.threshold).toBe(124); // any t in 50..199 is optimal; the middle of that run is taken
    expect(r.lowMean).toBe(50);
    expect(r.highMean).toBe(200);
    expect(r.highShare).toBeCloseTo(0.25, 12);
    expect(r.betweenVariance).toBeCloseTo(0.25 * 0.75 * 150 * 150, 6);
  });

  it('separates a dark sparse class from a bright dominant one', () => {
    // Paper around 220 (+-10), ink around 40 (+-10), 5% ink.
    const h = new Uint32Array(256);
    for (let v = 210; v <= 230; v++) h[v] = 95;
    for (let v = 30; v <= 50; v++) h[v] = 5;
    const r = otsuThreshold(h);
    expect(r.threshold).toBeGreaterThanOrEqual(50);
    expect(r.threshold).toBeLessThan(210);
    expect(r.highShare).toBeCloseTo(0.95, 6);
  });

  it('finds the maximum of the between-class variance on random histograms', () => {
    const rng = mulberry32(1);
    for (let trial = 0; trial < 50; trial++) {
      const h = new Uint32Array(256);
      for (let i = 0; i < 2000; i++) {
        const centre = rng() < 0.3 ? 60 : 180;
        h[Math.max(0, Math.min(255, Math.round(centre + (rng() - 0.5) * 80)))]! += 1;
      }
      const r = otsuThreshold(h);
      let best = 0;
      for (let t = 0; t < 255; t++) best = Math.max(best, betweenVariance(h, t));
      expect(betweenVariance(h, r.threshold)).toBeCloseTo(best, 6);
    }
  });

  it('reports no split for a single-valued image and handles an empty histogram', () => {
    const one = otsuThreshold(hist({ 77: 1000 }));
    expect(one.betweenVariance).toBe(0);
    expect(one.highShare).toBe(0);
    expect(otsuThreshold(new Uint32Array(256)).betweenVariance).toBe(0);
  });

  it('histogram256 counts every value', () => {
    const h = histogram256(new Uint8Array([0, 0, 255, 7]));
    expect([h[0], h[7], h[255], h.reduce((a, b) => a + b, 0)]).toEqual([2, 1, 1, 4]);
  });
});
