import { describe, expect, it } from 'vitest';
import { quantizePerChannel, roundHalfEven, transpose2d } from './weight-quant';

describe('roundHalfEven', () => {
  it('rounds halves to the even neighbour (as numpy does) and everything else to the nearest', () => {
    expect([-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5].map(roundHalfEven)).toEqual([-4, -2, -2, -0, 0, 2, 2, 4]);
    expect([-2.6, -2.4, 0.49, 0.51, 126.7].map(roundHalfEven)).toEqual([-3, -2, 0, 1, 127]);
  });
});

describe('quantizePerChannel', () => {
  it('gives each channel its own scale max|w| / 64 (7 bits), maps that max to ±64 and keeps every error within half a step', () => {
    // [2 channels, 3] along axis 0: channel 0 small, channel 1 a hundred times larger.
    const w = Float32Array.from([0.011, -0.02, 0.005, 1.1, -2, 0.5]);
    const q = quantizePerChannel(w, [2, 3], 0);
    expect(Array.from(q.scales)).toEqual([Math.fround(0.02 / 64), Math.fround(2 / 64)]);
    expect(Array.from(q.values)).toEqual([35, -64, 16, 35, -64, 16]);
    for (let i = 0; i < w.length; i++) {
      const scale = q.scales[i < 3 ? 0 : 1] as number;
      expect(Math.abs((w[i] as number) - (q.values[i] as number) * scale)).toBeLessThanOrEqual(scale / 2 + 1e-12);
    }
    expect(q.maxAbsError).toBeLessThanOrEqual((q.scales[1] as number) / 2);
  });

  it('quantizes along the last axis of a [K, N] matrix (one scale per output column)', () => {
    const w = Float32Array.from([1, 10, -0.5, 5]); // [[1, 10], [-0.5, 5]]
    const q = quantizePerChannel(w, [2, 2], 1);
    expect(Array.from(q.scales)).toEqual([Math.fround(1 / 64), Math.fround(10 / 64)]);
    expect(Array.from(q.values)).toEqual([64, 64, -32, 32]);
  });

  it('gives an all-zero channel scale 1 and zeros instead of dividing by zero', () => {
    const q = quantizePerChannel(new Float32Array(4), [2, 2], 0);
    expect(Array.from(q.scales)).toEqual([1, 1]);
    expect(Array.from(q.values)).toEqual([0, 0, 0, 0]);
    expect(q.maxAbsError).toBe(0);
  });
});

describe('transpose2d', () => {
  it('turns a row-major [2, 3] into [3, 2]', () => {
    expect(Array.from(transpose2d(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
