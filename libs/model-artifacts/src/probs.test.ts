import { softmaxWithTemperature } from '@inkwell/ml-eval';
import { describe, expect, it } from 'vitest';
import { meanProbs } from './evaluate-onnx';
import { accuracyOf, untemper } from './probs';

describe('probability helpers', () => {
  it('untemper recovers the T = 1 probabilities from a tempered graph output', () => {
    const logits = Float32Array.from({ length: 30 }, (_, i) => Math.sin(i * 1.7) * 6);
    const tempered = softmaxWithTemperature(logits, 10, 2.5);
    const plain = softmaxWithTemperature(logits, 10, 1);
    const back = untemper(tempered, 2.5);
    for (let i = 0; i < plain.length; i++) expect(back[i]).toBeCloseTo(plain[i] as number, 5);
  });

  it('the ensemble is the mean of its members, and accuracy counts argmax hits', () => {
    const a = Float32Array.from([0.9, 0.1, 0.2, 0.8]);
    const b = Float32Array.from([0.3, 0.7, 0.4, 0.6]);
    const mean = meanProbs([a, b]);
    [0.6, 0.4, 0.3, 0.7].forEach((v, i) => expect(mean[i]).toBeCloseTo(v, 6));
    expect(accuracyOf([0, 1], meanProbs([a, b]), 2)).toBe(1);
    expect(accuracyOf([1, 1], b, 2)).toBe(1);
    expect(accuracyOf([0, 0], b, 2)).toBe(0);
  });
});
