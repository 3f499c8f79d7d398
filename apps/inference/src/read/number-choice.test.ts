import { describe, expect, it } from 'vitest';
import { NUMBER_CHOICE_PARAMS, NUMBER_CHOICE_PARAMS_WITHOUT_COUNTS, type ReadSlot, chooseNumber, chooseOption, countLogShares, optionContext, optionFeatures } from './number-choice';

/**
 * One wide ink group, 60 px wide and 40 tall, that the digit models read as a sure "0" whole and as
 * a sure "6" and "1" cut in two: which one is right, only the digit-count model can tell here.
 */
function slot(counts: { whole: readonly number[]; pieces: readonly number[] } | null): ReadSlot {
  const piece = (digit: number, x: number, width: number, c?: readonly number[]) => ({ digit, confidence: 0.95, x, width, height: 40, ...(c === undefined ? {} : { oneLogProb: countLogShares(c).one }) });
  return {
    aspect: 1.5,
    crossings: [0, 1],
    ...(counts === null ? {} : { countLogProbs: countLogShares(counts.whole).whole }),
    options: [[piece(0, 0, 60)], [piece(6, 0, 30, counts?.pieces), piece(1, 30, 30, counts?.pieces)]],
  };
}

describe('number-choice: the digit-count model decides between one wide digit and two', () => {
  it('cuts when the whole holds two and each piece is one whole digit', () => {
    expect(chooseOption(slot({ whole: [0.01, 0.04, 0.94, 0.01], pieces: [0.05, 0.93, 0.01, 0.01] }), null)).toBe(1);
  });
  it('keeps the whole when it holds one and the pieces are fragments', () => {
    expect(chooseOption(slot({ whole: [0.01, 0.95, 0.03, 0.01], pieces: [0.9, 0.08, 0.01, 0.01] }), null)).toBe(0);
  });
  it('log-shares: the counts of a whole among one, two, three or more; of a piece, one among all four', () => {
    const { whole, one } = countLogShares([0.5, 0.25, 0.125, 0.125]);
    expect(whole.map(Math.exp)).toEqual([0.5, 0.25, 0.25].map((x) => expect.closeTo(x, 9)));
    expect(Math.exp(one)).toBeCloseTo(0.25, 9);
  });

  it('weighs every feature: as many weights as features, in both weight sets', () => {
    const s = slot({ whole: [0.01, 0.04, 0.94, 0.01], pieces: [0.05, 0.93, 0.01, 0.01] });
    const n = optionFeatures(s.options[1] ?? [], optionContext(s, 1, null)).length;
    expect(NUMBER_CHOICE_PARAMS.weights).toHaveLength(n);
    expect(NUMBER_CHOICE_PARAMS_WITHOUT_COUNTS.weights).toHaveLength(n);
  });
  it('an option of four or more digits takes the whole\'s "three or more" count', () => {
    const s = { ...slot({ whole: [0.01, 0.01, 0.01, 0.97], pieces: [0.05, 0.93, 0.01, 0.01] }) };
    const four = [0, 1, 2, 3].map((k) => ({ digit: 1, confidence: 0.9, x: 15 * k, width: 15, height: 40 }));
    const wide = { ...s, options: [...s.options, four] };
    expect(optionContext(wide, 2, null).countLogProb).toBeCloseTo(Math.log(0.97 / 0.99), 9);
  });
  it('numbers read without the model are chosen with the weights fitted without it', () => {
    // A "0" 0.8 times as wide as tall, or a "6" and a "1": the count weights alone (their extra-digit
    // cost lives in the count features) would cut it; the weights fitted without counts keep it whole.
    const zero = { aspect: 0.8, crossings: [0, 1], options: [[{ digit: 0, confidence: 0.99, x: 0, width: 32, height: 40 }], [{ digit: 6, confidence: 0.9, x: 0, width: 16, height: 36 }, { digit: 1, confidence: 0.9, x: 16, width: 16, height: 36 }]] };
    expect(chooseNumber([zero], NUMBER_CHOICE_PARAMS)).toEqual([1]);
    expect(chooseNumber([zero])).toEqual([0]);
  });
});
