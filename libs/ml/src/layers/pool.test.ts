import { describe, expect, it } from 'vitest';
import { probe } from '../testing/gradcheck';
import { dense } from './dense';
import { flatten } from './flatten';
import { maxPool } from './pool';

describe('maxPool backward on ties (MNIST background)', () => {
  it('sends each window gradient to its first maximum only, in float32 and float64', async () => {
    const layers = () => [maxPool('p', [1, 4, 4], 2), flatten('f', [1, 2, 2]), dense('d', [4], 3)];
    const flat = new Float64Array(16); // every window is a four-way tie, as on a blank background
    for (const [dtype, lowering] of [
      ['float64', 'portable'],
      ['float32', 'native'],
    ] as const) {
      const ref = await probe({ inShape: [1, 4, 4], layers: layers(), batch: 1 }, dtype, lowering);
      const feeds = new Map(ref.feeds);
      feeds.set('x', { data: dtype === 'float64' ? flat : new Float32Array(16), dims: [1, 1, 4, 4] });
      const p = await probe({ inShape: [1, 4, 4], layers: layers(), batch: 1 }, dtype, lowering, feeds);
      const dx = Array.from(p.grads.get('x') ?? []);
      const firsts = [0, 2, 8, 10];
      for (let i = 0; i < 16; i++) {
        if (!firsts.includes(i)) expect(dx[i], `position ${i}`).toBe(0);
      }
      expect(firsts.every((i) => (dx[i] ?? 0) !== 0)).toBe(true);
    }
  });
});
