import { describe, expect, it } from 'vitest';
import { parseDigitCsv } from './csv';
import { digitAt, loadMnist } from './idx';

const test = loadMnist('test');
const toLine = (i: number): string => [test.labels[i], ...digitAt(test, i)].join(',');

describe('CSV loader', () => {
  it('round-trips MNIST digits with and without a header', () => {
    const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
    const body = [0, 1, 2].map(toLine).join('\n');
    for (const text of [body, `${header}\n${body}\n`]) {
      const set = parseDigitCsv(text);
      expect(set.count).toBe(3);
      expect([...set.labels]).toEqual([test.labels[0], test.labels[1], test.labels[2]]);
      expect(set.pixels).toEqual(Uint8Array.from(test.pixels.subarray(0, 3 * 784)));
    }
  });

  it('names the line and the field that is wrong', () => {
    const good = toLine(0);
    expect(() => parseDigitCsv(`${good}\n${good.replace(/,\d+$/, ',300')}`)).toThrow(/line 2: pixel 783 is "300"/);
    expect(() => parseDigitCsv(`${good}\n1,2,3`)).toThrow(/line 2: expected 785 fields/);
    expect(() => parseDigitCsv(good.replace(/^\d/, '12'))).toThrow(/label is "12"/);
    expect(() => parseDigitCsv(good.replace(/,0,/, ',,'))).toThrow(/pixel \d+ is ""/);
  });
});
