/**
 * How number mode picks, for each place in the number that may be touching digits, the way of
 * cutting it the model reads best. An option's score weighs a few features (optionFeatures): the
 * model's log-probabilities of its digits (sum and least), its extra digits (a cost, lower for ink
 * much wider than tall), how far each digit's width for its height is from its class's usual
 * (a 1 is narrow, a 4 or a 0 can be wide), when the number's other digits tell one digit's width,
 * how many digits wide the slot is, and how many strokes its cuts cross (touching digits part at
 * one junction; a 0 cut into a "6" and a "1", which the model reads as surely as a real 61, is
 * crossed twice).
 *
 * The model alone is often as sure of a "7" that is two 7s side by side as of each 7 cut apart, and of
 * half a 0 as of a 6: the digit-count model (digit-counter.ts), trained on touching numbers, says
 * how many digits the whole holds and whether each cut's piece is one whole digit, and those
 * log-probabilities are features too.
 *
 * The width priors are a log-normal per class, fitted on the plain (untouching) numbers of seeds 7 and 11
 * through the pipeline as it measures them; the weights by a softmax over each slot's options (the
 * options that read the number right should take the mass) on seeds 7 and 11 (1,000 numbers) as the
 * shipped default ensemble and the digit-count model read them (`tune.ts --fit default --count-model
 * models-aux/number-count-v1/model.onnx`), as fitted (no hand moves). There: plain 97.0 %, touching
 * 84.8 %, from 95.3 % and 81.8 % without the count features. The test and the bench read seed 28's
 * numbers, never used to fit.
 */
export const NUMBER_CHOICE_PARAMS = {
  /** Weights of an option's features (see optionFeatures), in this order. */
  weights: [1.509, 1.334, 0.285, 0.464, -0.216, 0.329, 0.001, 0.098, -0.848, -0.261, 0.045, 0.302, 0.068, -0.022, 0.334, 0.349, -0.524, -0.317, -0.844, 0.39, 0.406, -0.059] as readonly number[],
  /** Per class 0-9: mean and standard deviation of ln(width / height) of the digit's ink box. */
  aspectLogMean: [-0.139, -1.094, -0.125, -0.304, -0.263, -0.137, -0.34, -0.289, -0.342, -0.416] as readonly number[],
  aspectLogStd: [0.21, 0.422, 0.203, 0.215, 0.209, 0.248, 0.21, 0.21, 0.199, 0.18] as readonly number[],
};

export type NumberChoiceParams = typeof NUMBER_CHOICE_PARAMS;

/**
 * The weights for numbers read without the digit-count model (its file missing or failing): those
 * fitted before it existed, on the same seeds (seed 28: plain 95.3 %, touching 84.5 %). The weights
 * above lean on the count features for the cost of an extra digit; without them they split nearly
 * every wide digit (seed 29: plain 69.7 %).
 */
export const NUMBER_CHOICE_PARAMS_WITHOUT_COUNTS: NumberChoiceParams = {
  ...NUMBER_CHOICE_PARAMS,
  weights: [3.251, 2.955, -0.269, 1.216, -0.173, 0.14, 0.555, -0.817, -2.042, -0.296, 0.122, 1.023, 0.272, -0.064, 0.359, 0.706, -1.215, -0.852, -0.698, 0, 0, 0],
};

/** One digit of an option as read: the class, its probability, and its box's size. */
export interface ReadPiece {
  readonly digit: number;
  readonly confidence: number;
  readonly x: number;
  /** Its own box's, in any one unit for the whole number: a pair of digits on different baselines is taller than either, and each piece of a cut is measured on its own. */
  readonly width: number;
  readonly height: number;
  /** Log-probability, by the digit-count model, that this piece's ink is exactly one digit (not a piece of one, not two); absent without that model. */
  readonly oneLogProb?: number;
}

/** How far (in standard deviations) a digit of class `digit` is from its class's usual width for its height: above 0 wider, below narrower. */
function widthZ(digit: number, aspect: number, params: NumberChoiceParams): number {
  return (Math.log(Math.max(aspect, 0.01)) - (params.aspectLogMean[digit] ?? 0)) / (params.aspectLogStd[digit] ?? 1);
}

/**
 * What an option is judged against: its slot's width over one digit's height, the number's typical
 * digit width, the strokes its cuts cross, the height of the slot's ink whole and the digit it is
 * read as whole, and the share of the slot's other cuts that read the same digits.
 */
export interface OptionContext {
  readonly aspect: number;
  readonly typicalWidth: number | null;
  readonly crossings: number;
  readonly wholeHeight: number;
  readonly wholeDigit: number | null;
  readonly agreement: number;
  /** Log-probability, by the digit-count model, that the slot's ink holds as many digits as this option reads (0 without that model). */
  readonly countLogProb: number;
}

/** A piece of a cut this share of the slot's height or more may be a whole digit (touching digits differ in size by up to a third). */
const FULL_HEIGHT_SHARE = 0.8;

/**
 * An option's features: the sum and the least of its digits' log-probabilities, its extra digits
 * (and those times how much wider than tall the slot is), the sum and the most of its digits' width
 * misfits; then, when the number's other digits tell one digit's width (`typicalWidth`), its extra
 * digits times the log of how many typical digits wide the slot is, and the sum of its digits'
 * squared log width over the typical one (1s left out); the strokes its cuts cross beyond
 * one per cut (touching digits part at one junction; a 0 or an 8 cut in two is crossed twice);
 * then its digits' misfits split into too wide (a pair read as one wide digit) and too narrow,
 * its extra digits times the log of the slot's aspect; how short its shortest piece is against
 * the slot's ink whole (log of the share, the squared shortfall of each piece under
 * FULL_HEIGHT_SHARE, and two hinges on the shortest): touching digits are each about as tall as the
 * pair, while a wide single digit cut in two leaves a piece that is a fragment (a 0's arc, a 4's
 * bar) however surely the model reads it; whether a cut's digits include the one the ink whole is
 * read as (the model reads a squeezed pair as one of its two digits, a 0 cut in two as a 6 and a 7),
 * and the same other than for a 1; the share of the slot's other cuts reading the same digits; last,
 * from the digit-count model (0 without it): the log-probability that the slot's ink whole holds as
 * many digits as the option reads, and for a cut the sum and the least of its pieces'
 * log-probabilities of being one whole digit each.
 */
export function optionFeatures(ps: readonly ReadPiece[], ctx: OptionContext, params: NumberChoiceParams = NUMBER_CHOICE_PARAMS): number[] {
  const { aspect, typicalWidth, crossings } = ctx;
  const logs = ps.map((p) => Math.log(Math.max(p.confidence, 1e-6)));
  const zs = ps.map((p) => widthZ(p.digit, p.width / Math.max(1, p.height), params));
  const misfits = zs.map((z) => z * z);
  const extra = ps.length - 1;
  const slotWidth = ps.length === 0 ? 0 : Math.max(...ps.map((p) => p.x + p.width)) - Math.min(...ps.map((p) => p.x));
  const relative = typicalWidth === null ? [0, 0] : [extra * Math.log(Math.max(1, slotWidth) / typicalWidth), ps.reduce((s, p) => s + (p.digit === 1 ? 0 : Math.log(p.width / typicalWidth) ** 2), 0)];
  const shares = ps.map((p) => Math.min(1, p.height / Math.max(1, ctx.wholeHeight)));
  const shortest = Math.min(...shares);
  const hasWhole = extra > 0 && ps.some((p) => p.digit === ctx.wholeDigit);
  return [
    logs.reduce((a, b) => a + b, 0),
    Math.min(...logs),
    extra,
    extra * (aspect - 1),
    misfits.reduce((a, b) => a + b, 0),
    Math.max(...misfits),
    ...relative,
    Math.max(0, crossings - extra),
    zs.reduce((s, z) => s + Math.max(0, z) ** 2, 0),
    zs.reduce((s, z) => s + Math.max(0, -z) ** 2, 0),
    extra * Math.log(Math.max(aspect, 0.01)),
    Math.log(Math.max(0.01, Math.min(...shares))),
    shares.reduce((s, r) => s + Math.max(0, FULL_HEIGHT_SHARE - r) ** 2, 0),
    hasWhole ? 1 : 0,
    hasWhole && ctx.wholeDigit !== 1 ? 1 : 0,
    5 * Math.max(0, FULL_HEIGHT_SHARE - shortest),
    5 * Math.max(0, 0.9 - shortest),
    extra > 0 ? ctx.agreement : 0,
    ctx.countLogProb,
    extra > 0 ? ps.reduce((s, p) => s + (p.oneLogProb ?? 0), 0) : 0,
    extra > 0 ? Math.min(...ps.map((p) => p.oneLogProb ?? 0)) : 0,
  ];
}

/** An option's score: its features weighed; -Infinity for an empty one. */
export function optionScore(ps: readonly ReadPiece[], ctx: OptionContext, params: NumberChoiceParams = NUMBER_CHOICE_PARAMS): number {
  if (ps.length === 0) return -Infinity;
  return optionFeatures(ps, ctx, params).reduce((s, f, i) => s + f * (params.weights[i] ?? 0), 0);
}

/** The context option `o` of `slot` is judged in (see OptionContext). */
export function optionContext(slot: ReadSlot, o: number, typicalWidth: number | null): OptionContext {
  const whole = slot.options[0] ?? [];
  const reading = (k: number): string => (slot.options[k] ?? []).map((p) => p.digit).join(',');
  const cuts = slot.options.length - 1;
  const same = slot.options.filter((_, k) => k !== 0 && k !== o && reading(k) === reading(o)).length;
  return {
    aspect: slot.aspect,
    typicalWidth,
    crossings: slot.crossings?.[o] ?? 0,
    wholeHeight: Math.max(1, ...whole.map((p) => p.height)),
    wholeDigit: whole.length === 1 ? (whole[0]?.digit ?? null) : null,
    agreement: o === 0 || cuts <= 0 ? 0 : same / cuts,
    countLogProb: slot.countLogProbs?.[Math.min(slot.countLogProbs.length, slot.options[o]?.length ?? 1) - 1] ?? 0,
  };
}

const logShare = (p: readonly number[], k: number, of: readonly number[]): number => Math.log(Math.max(1e-6, (p[k] ?? 0) / Math.max(1e-9, of.reduce((z, j) => z + (p[j] ?? 0), 0))));

/**
 * The digit-count model's probabilities (fragment, one, two, three or more) as the choice weighs
 * them: for a slot's ink whole, the log-shares of one, two and three or more among themselves (a
 * whole holds at least one digit: the model saw no fragment as a whole); for a cut's piece, the
 * log-share of one among all four.
 */
export function countLogShares(counts: readonly number[]): { whole: number[]; one: number } {
  return { whole: [1, 2, 3].map((k) => logShare(counts, k, [1, 2, 3])), one: logShare(counts, 1, [0, 1, 2, 3]) };
}

/** The index of the best option; `aspect` is the slot's whole width over one digit's height. */
export function chooseOption(slot: ReadSlot, typicalWidth: number | null, params: NumberChoiceParams = NUMBER_CHOICE_PARAMS): number {
  let best = 0;
  let bestScore = -Infinity;
  slot.options.forEach((ps, o) => {
    const score = optionScore(ps, optionContext(slot, o, typicalWidth), params);
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
  /** Log-probabilities that the slot's ink holds 1, 2, 3 or more digits (the digit-count model's); absent when it was not run. */
  readonly countLogProbs?: readonly number[];
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

/** The chosen option's index for each slot, left to right; by default with the weights for whether the digit-count model's counts are there. */
export function chooseNumber(slots: readonly ReadSlot[], params: NumberChoiceParams = slots.some((s) => s.countLogProbs !== undefined) ? NUMBER_CHOICE_PARAMS : NUMBER_CHOICE_PARAMS_WITHOUT_COUNTS): number[] {
  const typical = typicalWidthOf(slots);
  return slots.map((slot) => chooseOption(slot, typical, params));
}

/** A piece of ink as preprocessing hands it over: where it lies. */
interface PieceInput {
  readonly box: { readonly x: number; readonly width: number; readonly height: number };
}

/** A slot as preprocessing hands it over (see NumberSlotInput). */
interface SlotInput<D extends PieceInput> {
  readonly aspect: number;
  readonly crossings: readonly number[];
  readonly options: readonly (readonly D[])[];
}

/** A slot as read, its pieces carrying the caller's own fields too. */
export interface ReadSlotOf<R> extends ReadSlot {
  readonly options: readonly (readonly (ReadPiece & R)[])[];
}

/** The index of the largest probability (the first of equals). */
export const argmax = (p: Float32Array): number => {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] ?? 0) > (p[best] ?? 0)) best = i;
  return best;
};

/**
 * The slots as the choice reads them, from the digit models' probabilities and the digit-count
 * model's counts (null without it; undefined for a piece it did not count), both in the order the
 * images were sent: slot by slot, option by option, piece by piece, so a slot's first image is its
 * ink whole. `more` adds the caller's own
 * fields to each piece.
 */
export function readSlotsOf<D extends PieceInput, R extends object>(
  slots: readonly SlotInput<D>[],
  probs: readonly Float32Array[],
  counts: readonly (readonly number[] | undefined)[] | null,
  more: (d: D, p: Float32Array, digit: number) => R,
): ReadSlotOf<R>[] {
  let at = 0;
  return slots.map((slot) => {
    const whole = counts?.[at];
    return {
      aspect: slot.aspect,
      crossings: slot.crossings,
      ...(whole === undefined ? {} : { countLogProbs: countLogShares(whole).whole }),
      options: slot.options.map((o) =>
        o.map((d) => {
          const c = counts?.[at];
          const p = probs[at++] ?? new Float32Array(10);
          const digit = argmax(p);
          const counted = c === undefined ? {} : { oneLogProb: countLogShares(c).one };
          return { ...more(d, p, digit), digit, confidence: p[digit] ?? 0, x: d.box.x, width: d.box.width, height: d.box.height, ...counted };
        }),
      ),
    };
  });
}
