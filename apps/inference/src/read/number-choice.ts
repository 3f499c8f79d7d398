/**
 * How number mode picks, for each place in the number that may be touching digits, the way of
 * cutting it that the model reads best. The score of an option is the mean log of its digits' top
 * probabilities (the geometric mean, so a two-digit reading is not punished for having two
 * factors), less two priors: a cost per extra digit for ink whose width looks like one digit, and
 * a cost for each digit whose width does not fit what it was read as (a 1 is narrow, other digits
 * are not; a "4" twice as wide as it is tall is two digits read as one).
 *
 * Fitted on 500 generated numbers of seed 7 (the test reads seed 28's, never used to fit), with
 * the test's small model: the grid's best touching accuracy with plain numbers kept >= 96 %.
 */
export const NUMBER_CHOICE_PARAMS = {
  /** Log-score cost of each extra digit for ink exactly as wide as it is tall... */
  splitCost: 0.4,
  /** ...less this much per unit of width/height above that, never below 0 (wide ink is likelier several digits). */
  splitCostPerAspect: 0.5,
  /** Log-score cost per unit of a digit's width (over one digit's height) outside its class's range: */
  shapeCost: 1,
  /** a 1 up to this wide... */
  maxOneAspect: 0.6,
  /** ...other digits between these. */
  minDigitAspect: 0.45,
  maxDigitAspect: 1.1,
} as const;

export type NumberChoiceParams = { readonly [K in keyof typeof NUMBER_CHOICE_PARAMS]: number };

/** One digit of an option as read: the class, its probability, and its width over one digit's height. */
export interface ReadPiece {
  readonly digit: number;
  readonly confidence: number;
  readonly aspect: number;
}

/** The index of the best option; `aspect` is the slot's whole width over one digit's height. */
export function chooseOption(options: readonly (readonly ReadPiece[])[], aspect: number, params: NumberChoiceParams = NUMBER_CHOICE_PARAMS): number {
  const perExtra = Math.max(0, params.splitCost - params.splitCostPerAspect * (aspect - 1));
  let best = 0;
  let bestScore = -Infinity;
  options.forEach((ps, o) => {
    if (ps.length === 0) return;
    const meanLog = ps.reduce((s, p) => s + Math.log(Math.max(p.confidence, 1e-6)), 0) / ps.length;
    const misfit = ps.reduce((s, p) => {
      const lo = p.digit === 1 ? 0 : params.minDigitAspect;
      const hi = p.digit === 1 ? params.maxOneAspect : params.maxDigitAspect;
      return s + Math.max(0, p.aspect - hi) + Math.max(0, lo - p.aspect);
    }, 0);
    const score = meanLog - params.shapeCost * misfit - perExtra * (ps.length - 1);
    if (score > bestScore) {
      best = o;
      bestScore = score;
    }
  });
  return best;
}
