import { describe, expect, it } from 'vitest';
import { looksLikeCsvHeader, parseCsvDigitRow, parseDigitCsv } from './csv';
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

describe('parseCsvDigitRow', () => {
  it('reads a row into the pixel buffer and returns its label', () => {
    const px = new Uint8Array(784);
    expect(parseCsvDigitRow(toLine(0), px)).toBe(test.labels[0]);
    expect(px).toEqual(Uint8Array.from(digitAt(test, 0)));
    expect(parseCsvDigitRow(toLine(0).replace(/,/g, ', '), px)).toBe(test.labels[0]);
  });

  it('says what kind of problem a bad row has', () => {
    const px = new Uint8Array(784);
    const good = toLine(1);
    expect(parseCsvDigitRow('1,2,3', px)).toMatchObject({ kind: 'wrong_shape', message: /found 3/ });
    expect(parseCsvDigitRow(`${good},0`, px)).toMatchObject({ kind: 'wrong_shape', message: /found 786/ });
    expect(parseCsvDigitRow(good.replace(/^\d/, '12'), px)).toMatchObject({ kind: 'label_out_of_range', field: 0 });
    expect(parseCsvDigitRow(good.replace(/,\d+$/, ',abc'), px)).toMatchObject({ kind: 'non_numeric', field: 784 });
    expect(parseCsvDigitRow(good.replace(/,\d+$/, ',256'), px)).toMatchObject({ kind: 'pixel_out_of_range', field: 784 });
  });

  it('takes a line whose first field is not a number for a header', () => {
    expect(looksLikeCsvHeader('label,pixel0')).toBe(true);
    expect(looksLikeCsvHeader('7,0,0')).toBe(false);
  });
});
