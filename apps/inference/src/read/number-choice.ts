/**
 * How number mode picks, for each place in the number that may be touching digits, the way of
 * cutting it the model reads best. An option's score weighs a few features (optionFeatures): the
 * model's log-probabilities of its digits (sum and least), its extra digits (a cost, lower for ink
 * much wider than tall), how far each digit's width for its height is from its class's usual
 * (a 1 is narrow, a 4 or a 0 can be wide), when the number's other digits tell one digit's width,
 * how many digits wide the slot is, and how many strokes its cuts cross (touching digits part at
 * one junction; a 0 cut into a "6" and a "1", which the model reads as surely as a real 61, is
 * crossed twice). The model alone is often as sure of a "7" that is two 7s side by side as of
 * each 7 cut apart: the geometry is what tells them apart.
 *
 * The width priors are a log-normal per class, fitted on the plain (untouching) numbers of seeds 7 and 11
 * through the pipeline as it measures them; the weights by a softmax over each slot's options (the
 * options that read the number right should take the mass) on seeds 7 and 11 (1,000 numbers) with both the
 * test's small model and the default ensemble, the extra-digit weight then moved by +0.5 (less
 * cost) for better touching accuracy that keeps plain numbers at 95 % or more: bench/number-read/tune.ts. The test reads seed
 * 28's numbers, never used to fit.
 */
export const NUMBER_CHOICE_PARAMS = {
  /** Weights of an option's features (see optionFeatures), in this order. */
  weights: [3.259, 2.696, -1.171, 2.731, -0.069, -0.055, 0.57, -0.912, -1.457] as readonly number[],
  /** Per class 0-9: mean and standard deviation of ln(width / height) of the digit's ink box. */
  aspectLogMean: [-0.139, -1.094, -0.125, -0.304, -0.263, -0.137, -0.34, -0.289, -0.342, -0.416] as readonly number[],
  aspectLogStd: [0.21, 0.422, 0.203, 0.215, 0.209, 0.248, 0.21, 0.21, 0.199, 0.18] as readonly number[],
};

export type NumberChoiceParams = typeof NUMBER_CHOICE_PARAMS;

/** One digit of an option as read: the class, its probability, and its box's size. */
export interface ReadPiece {
  readonly digit: number;
  readonly confidence: number;
  readonly x: number;
  /** Its own box's, in any one unit for the whole number: a pair of digits on different baselines is taller than either, and each piece of a cut is measured on its own. */
  readonly width: number;
  readonly height: number;
}

/** How far (in standard deviations, squared) a digit of class `digit` is from its class's usual width for its height. */
function widthMisfit(digit: number, aspect: number, params: NumberChoiceParams): number {
  const z = (Math.log(Math.max(aspect, 0.01)) - (params.aspectLogMean[digit] ?? 0)) / (params.aspectLogStd[digit] ?? 1);
  return z * z;
}

/**
 * An option's features: the sum and the least of its digits' log-probabilities, its extra digits
 * (and those times how much wider than tall the slot is), the sum and the most of its digits' width
 * misfits; then, when the number's other digits tell one digit's width (`typicalWidth`), its extra
 * digits times the log of how many typical digits wide the slot is, and the sum of its digits'
 * squared log width over the typical one (1s left out); last, the strokes its cuts cross beyond
 * one per cut (touching digits part at one junction; a 0 or an 8 cut in two is crossed twice).
 */
export function optionFeatures(ps: readonly ReadPiece[], aspect: number, typicalWidth: number | null, crossings = 0, params: NumberChoiceParams = NUMBER_CHOICE_PARAMS): number[] {
  const logs = ps.map((p) => Math.log(Math.max(p.confidence, 1e-6)));
  const misfits = ps.map((p) => widthMisfit(p.digit, p.width / Math.max(1, p.height), params));
  const extra = ps.length - 1;
  const slotWidth = ps.length === 0 ? 0 : Math.max(...ps.map((p) => p.x + p.width)) - Math.min(...ps.map((p) => p.x));
  const relative = typicalWidth === null ? [0, 0] : [extra * Math.log(Math.max(1, slotWidth) / typicalWidth), ps.reduce((s, p) => s + (p.digit === 1 ? 0 : Math.log(p.width / typicalWidth) ** 2), 0)];
  return [logs.reduce((a, b) => a + b, 0), Math.min(...logs), extra, extra * (aspect - 1), misfits.reduce((a, b) => a + b, 0), Math.max(...misfits), ...relative, Math.max(0, crossings - extra)];
}

/** An option's score: its features weighed; -Infinity for an empty one. */
export function optionScore(ps: readonly ReadPiece[], aspect: number, typicalWidth: number | null, crossings = 0, params: NumberChoiceParams = NUMBER_CHOICE_PARAMS): number {
  if (ps.length === 0) return -Infinity;
  return optionFeatures(ps, aspect, typicalWidth, crossings, params).reduce((s, f, i) => s + f * (params.weights[i] ?? 0), 0);
}

/** The index of the best option; `aspect` is the slot's whole width over one digit's height. */
export function chooseOption(slot: ReadSlot, typicalWidth: number | null, params: NumberChoiceParams = NUMBER_CHOICE_PARAMS): number {
  let best = 0;
  let bestScore = -Infinity;
  slot.options.forEach((ps, o) => {
    const score = optionScore(ps, slot.aspect, typicalWidth, slot.crossings?.[o] ?? 0, params);
    if (score > bestScore) {
      best = o;
      bestScore = score;
    }
  });
  return best;
}

/** One slot of a number as read: its options' pieces and its aspect (see chooseOption). */
export interface ReadSlot {
  readonly options: readonly (readonly ReadPiece[])[];
  readonly aspect: number;
  /** Per option, the strokes its cuts cross (0 for the ink whole). */
  readonly crossings?: readonly number[];
}

/**
 * One digit's width in this number: the median width of its slots read whole as one digit other
 * than 1, when there are at least `minTypical` of them (a median of fewer is a touching pair's own width too often).
 */
export function typicalWidthOf(slots: readonly ReadSlot[], minTypical = 3): number | null {
  const widths = slots.flatMap((slot) => {
    const whole = slot.options[0];
    return whole?.length === 1 && whole[0] !== undefined && whole[0].digit !== 1 ? [whole[0].width] : [];
  });
  if (widths.length < minTypical) return null;
  widths.sort((a, b) => a - b);
  const mid = widths.length >> 1;
  return widths.length % 2 === 1 ? (widths[mid] ?? 0) : ((widths[mid - 1] ?? 0) + (widths[mid] ?? 0)) / 2;
}

/** The chosen option's index for each slot, left to right. */
export function chooseNumber(slots: readonly ReadSlot[], params: NumberChoiceParams = NUMBER_CHOICE_PARAMS): number[] {
  const typical = typicalWidthOf(slots);
  return slots.map((slot) => chooseOption(slot, typical, params));
}
