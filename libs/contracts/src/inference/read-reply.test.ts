import { describe, expect, it } from 'vitest';
import { ReadNumberResponse } from './read';
import { formatReadReply, topDigits } from './read-reply';

describe('formatReadReply', () => {
  it("writes seed 004's Discord line: confidence to one decimal in percent, top-3 probabilities to three decimals, the model", () => {
    const probs = [0.0002, 0.011, 0, 0, 0, 0, 0, 0.987, 0, 0.0018];
    expect(formatReadReply({ digit: 7, confidence: 0.987, probs, model_id: 'cnn_v3' })).toBe('Digit: 7 (98.7% confidence). Top-3: 7=0.987, 1=0.011, 9=0.002. Model: cnn_v3');
  });

  it('ranks equal probabilities by the lower digit, so the same response always gives the same line', () => {
    expect(topDigits([0.1, 0.1, 0.5, 0.1, 0.1, 0.02, 0.02, 0.02, 0.02, 0.02]).map((t) => t.digit)).toEqual([2, 0, 1]);
  });
});

describe('formatReadReply for a number (mode=number)', () => {
  it("writes 'Number: 42 (…)' with the number's confidence and each digit's, left to right", () => {
    const digit = (d: number, confidence: number, x: number) => {
      const probs = Array.from({ length: 10 }, (_, i) => (i === d ? confidence : (1 - confidence) / 9));
      return { digit: d, confidence, probs, top3: topDigits(probs).map((t) => ({ digit: t.digit, prob: t.prob })), box: { x, y: 10, width: 30, height: 50 }, uncertain: false };
    };
    const response = ReadNumberResponse.parse({ mode: 'number', number: '42', confidence: 0.987 * 0.964, digits: [digit(4, 0.987, 5), digit(2, 0.964, 45)], model_id: 'ensemble_5_models', uncertain: false });
    expect(formatReadReply(response)).toBe('Number: 42 (95.1% confidence). Digits: 4=0.987, 2=0.964. Model: ensemble_5_models');
  });
});
