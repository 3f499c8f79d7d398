import type { ReadNumberResponse, ReadResponse } from './read';

/** A digit and its probability, highest first. */
export interface RankedDigit {
  readonly digit: number;
  readonly prob: number;
}

/** The `n` most probable digits of a ten-way distribution; equal probabilities rank the lower digit first. */
export function topDigits(probs: readonly number[], n = 3): RankedDigit[] {
  return probs
    .map((prob, digit) => ({ digit, prob }))
    .sort((a, b) => b.prob - a.prob || a.digit - b.digit)
    .slice(0, n);
}

type DigitReply = Pick<ReadResponse, 'digit' | 'confidence' | 'probs' | 'model_id'>;
type NumberReply = Pick<ReadNumberResponse, 'mode' | 'number' | 'confidence' | 'digits' | 'model_id'>;

/**
 * Seed 004's Discord reply, made from a `/v1/read` response as it arrives (no other call):
 *
 *   Digit: 7 (98.7% confidence). Top-3: 7=0.987, 1=0.011, 9=0.002. Model: ensemble_5_models
 *
 * The percentage is the response's calibrated `confidence` to one decimal; the top-3 come from
 * `probs` to three decimals; the model is `model_id` as given. For a `mode=number` response:
 *
 *   Number: 42 (95.1% confidence). Digits: 4=0.987, 2=0.964. Model: ensemble_5_models
 *
 * with the whole number's confidence (the product of its digits') and each digit's, left to right.
 * Pure and dependency-free, so a bot, the web app or a script all produce the same line.
 */
export function formatReadReply(response: DigitReply | NumberReply): string {
  const percent = `${(response.confidence * 100).toFixed(1)}% confidence`;
  if ('mode' in response && response.mode === 'number') {
    const digits = response.digits.map((d) => `${d.digit}=${d.confidence.toFixed(3)}`).join(', ');
    return `Number: ${response.number} (${percent}). Digits: ${digits}. Model: ${response.model_id}`;
  }
  if (!('probs' in response)) throw new TypeError('formatReadReply: neither a digit nor a number response');
  const top = topDigits(response.probs)
    .map((t) => `${t.digit}=${t.prob.toFixed(3)}`)
    .join(', ');
  return `Digit: ${response.digit} (${percent}). Top-3: ${top}. Model: ${response.model_id}`;
}
