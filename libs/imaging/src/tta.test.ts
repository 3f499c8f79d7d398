import { describe, expect, it } from 'vitest';
import { meanProbs, ttaBatch } from './tta';

const dot = (x: number, y: number) => {
  const px = new Float32Array(784);
  px[y * 28 + x] = 1;
  return px;
};
const at = (batch: Float32Array, row: number, x: number, y: number) => batch[row * 784 + y * 28 + x] ?? NaN;

describe('TTA variants', () => {
  it('has 1, 5 and 9 rows for none, light and strong, the first being the image itself', () => {
    const img = dot(10, 12);
    for (const [profile, rows] of [['none', 1], ['light', 5], ['strong', 9]] as const) {
      const b = ttaBatch(img, profile);
      expect(b.rows).toBe(rows);
      expect(b.pixels.subarray(0, 784)).toEqual(img);
    }
  });

  it('shifts by one pixel in each direction and keeps the ink', () => {
    const b = ttaBatch(dot(10, 12), 'light').pixels;
    expect([at(b, 1, 11, 12), at(b, 2, 9, 12), at(b, 3, 10, 13), at(b, 4, 10, 11)]).toEqual([1, 1, 1, 1]);
  });

  it('rotates and scales about the centre, leaving the centre pixel region inked', () => {
    const img = new Float32Array(784);
    for (let y = 4; y < 24; y++) img[y * 28 + 13] = img[y * 28 + 14] = 1; // a vertical bar through the centre
    const b = ttaBatch(img, 'strong').pixels;
    for (let row = 5; row < 9; row++) {
      const v = b.subarray(row * 784, row * 784 + 784);
      expect(v.reduce((s, x) => s + x, 0)).toBeGreaterThan(25); // most ink survives
      expect(v).not.toEqual(img);
    }
  });

  it('averages rows of probabilities', () => {
    expect(Array.from(meanProbs(new Float32Array([...Array(10).fill(0.2), ...Array(10).fill(0)]), 2))).toEqual(Array(10).fill(0.1).map((x) => Math.fround(x)));
  });
});
