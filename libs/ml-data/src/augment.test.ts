import { describe, expect, it } from 'vitest';
import { augmentSet } from './augment';
import { subset } from './batch';
import { loadMnist } from './idx';
import { Rng } from './prng';

const digits = subset(loadMnist('test'), Array.from({ length: 200 }, (_, i) => i));

function centroid(px: Uint8Array): { x: number; y: number; mass: number } {
  let m = 0, sx = 0, sy = 0;
  for (let i = 0; i < 784; i++) { const v = px[i] as number; m += v; sx += v * (i % 28); sy += v * Math.floor(i / 28); }
  return { x: sx / m, y: sy / m, mass: m };
}

describe('augmentation', () => {
  it('is the identity when every range is zero', () => {
    const out = augmentSet(digits, new Rng(1), { maxShift: 0, maxRotationDeg: 0, scaleRange: [1, 1] });
    expect(out.pixels).toEqual(digits.pixels);
    expect(out.labels).toBe(digits.labels);
  });

  it('repeats exactly for a seed, including elastic distortion', () => {
    const opts = { elastic: { alpha: 2, sigma: 5 } };
    const a = augmentSet(digits, new Rng(9), opts);
    expect(augmentSet(digits, new Rng(9), opts).pixels).toEqual(a.pixels);
    expect(augmentSet(digits, new Rng(10), opts).pixels).not.toEqual(a.pixels);
  });

  it('moves digits by at most the shift and keeps their ink', () => {
    const out = augmentSet(digits, new Rng(2), { maxShift: 3, maxRotationDeg: 0, scaleRange: [1, 1] });
    let moved = 0;
    for (let n = 0; n < digits.count; n++) {
      const a = centroid(digits.pixels.subarray(n * 784, (n + 1) * 784));
      const b = centroid(out.pixels.subarray(n * 784, (n + 1) * 784));
      expect(Math.abs(b.x - a.x)).toBeLessThan(3.3);
      expect(Math.abs(b.y - a.y)).toBeLessThan(3.3);
      expect(b.mass / a.mass).toBeGreaterThan(0.9);
      if (Math.hypot(b.x - a.x, b.y - a.y) > 1) moved++;
    }
    expect(moved).toBeGreaterThan(digits.count / 3);
  });

  it('changes pixels only mildly under the default small warp', () => {
    const out = augmentSet(digits, new Rng(3));
    const a = centroid(digits.pixels), b = centroid(out.pixels);
    // Scale 0.9..1.1 changes area by up to ~20%, averaged over 200 digits it stays close.
    expect(b.mass / a.mass).toBeGreaterThan(0.9);
    expect(b.mass / a.mass).toBeLessThan(1.1);
  });
});

describe('augmentation options', () => {
  it('rejects an inverted scale range and fills elastic defaults', () => {
    expect(() => augmentSet(digits, new Rng(1), { scaleRange: [1.2, 0.8] })).toThrow(/min <= max/);
    expect(() => augmentSet(digits, new Rng(1), { elastic: {} })).not.toThrow();
  });
});
