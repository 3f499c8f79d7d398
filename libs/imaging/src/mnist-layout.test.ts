import { describe, expect, it } from 'vitest';
import type { FloatImage } from './gray-image';
import { centreOfMass, layoutLikeMnist } from './mnist-layout';
import { resize } from './resample';

const solid = (w: number, h: number, v = 1): FloatImage => ({ data: new Float32Array(w * h).fill(v), width: w, height: h });
const sum = (a: Float32Array): number => a.reduce((s, v) => s + v, 0);

describe('resize', () => {
  it('area-averages when shrinking: a constant stays constant and total ink scales with area', () => {
    const out = resize(solid(50, 30, 0.6), 20, 12);
    for (const v of out.data) expect(v).toBeCloseTo(0.6, 5);
    const stripes = { data: Float32Array.from({ length: 40 * 40 }, (_, i) => (i % 2 ? 1 : 0)), width: 40, height: 40 };
    const half = resize(stripes, 20, 20);
    for (const v of half.data) expect(v).toBeCloseTo(0.5, 5); // 1-px stripes average to grey, not aliased
    const third = resize(stripes, 13, 17);
    expect(sum(third.data) / (13 * 17)).toBeCloseTo(0.5, 2);
  });

  it('copies at equal size and interpolates when enlarging', () => {
    const img = { data: Float32Array.from([0, 1, 0, 1]), width: 4, height: 1 };
    expect([...resize(img, 4, 1).data]).toEqual([0, 1, 0, 1]);
    const up = resize({ data: Float32Array.from([0, 1]), width: 2, height: 1 }, 4, 1);
    expect([...up.data].map((v) => Math.round(v * 100) / 100)).toEqual([0, 0.25, 0.75, 1]);
  });
});

describe('layoutLikeMnist', () => {
  it('fits the longer side to 20 px and puts the centre of mass at (14, 14)', () => {
    const out = layoutLikeMnist(solid(30, 60), true);
    let rows = 0;
    let cols = 0;
    for (let y = 0; y < 28; y++) if (out.subarray(y * 28, y * 28 + 28).some((v) => v > 0)) rows++;
    for (let x = 0; x < 28; x++) if ([...Array(28).keys()].some((y) => (out[y * 28 + x] ?? 0) > 0)) cols++;
    expect([rows, cols]).toEqual([20, 10]);
    const com = centreOfMass({ data: out, width: 28, height: 28 });
    // Whole-pixel shifts, as MNIST: within half a pixel of (14, 14).
    expect(Math.abs((com?.x ?? 0) - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs((com?.y ?? 0) - 14)).toBeLessThanOrEqual(0.5);
  });

  it('moves a lopsided digit by its centre of mass, or by its box when center is false', () => {
    // Heavy left column, light body: centre of mass well left of the box centre.
    const img = solid(12, 20, 0.1);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 4; x++) img.data[y * 12 + x] = 1;
    const byMass = centreOfMass({ data: layoutLikeMnist(img, true), width: 28, height: 28 });
    const byBox = centreOfMass({ data: layoutLikeMnist(img, false), width: 28, height: 28 });
    expect(Math.abs((byMass?.x ?? 0) - 14)).toBeLessThanOrEqual(0.5);
    expect(byBox?.x).toBeLessThan(11); // box centred (x 8..19), mass pulled left to 10.5
  });
});
