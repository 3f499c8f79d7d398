import { describe, expect, it } from 'vitest';
import { fitTemperature, nllAtTemperature, softmaxWithTemperature } from './temperature';

/** Labels drawn from softmax(z); logits handed to the fit are z * trueT, so the right answer is trueT. */
function syntheticLogits(n: number, trueT: number): { labels: number[]; logits: Float32Array } {
  let seed = 42;
  const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const labels: number[] = [];
  const logits = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: 10 }, () => 2 * gauss());
    const p = softmaxWithTemperature(z, 10);
    let u = rand(), label = 9;
    for (let k = 0; k < 10; k++) { u -= p[k] ?? 0; if (u < 0) { label = k; break; } }
    labels.push(label);
    z.forEach((v, k) => (logits[i * 10 + k] = v * trueT));
  }
  return { labels, logits };
}

describe('temperature scaling', () => {
  it.each([2.5, 0.6])('recovers a known temperature %s within 5%', (trueT) => {
    const { labels, logits } = syntheticLogits(20_000, trueT);
    const fit = fitTemperature(labels, logits);
    expect(Math.abs(fit.temperature - trueT) / trueT).toBeLessThan(0.05);
    expect(fit.nllAfter).toBeLessThan(fit.nllBefore);
  });

  it('computes NLL by hand for one sample', () => {
    expect(nllAtTemperature([0], [2, 0], 2)).toBeCloseTo(Math.log(1 + Math.exp(-1)));
  });

  it('softmax rows sum to 1 and a higher temperature flattens them', () => {
    const p1 = softmaxWithTemperature([3, 1, 0], 3, 1);
    const p3 = softmaxWithTemperature([3, 1, 0], 3, 3);
    expect((p1[0] ?? 0) + (p1[1] ?? 0) + (p1[2] ?? 0)).toBeCloseTo(1, 6);
    expect(p3[0]).toBeLessThan(p1[0] ?? 0);
  });
});
