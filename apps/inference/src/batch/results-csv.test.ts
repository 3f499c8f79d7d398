import { describe, expect, it } from 'vitest';
import { BATCH_RESULTS_CSV_COLUMNS, type BatchItemResult } from '@inkwell/contracts';
import { parseCsv } from '../testing/read-results-zip';
import { csvCell, csvHeader, csvLine } from './results-csv';

const done: BatchItemResult = {
  index: 3,
  name: 'scans/page 1/0003.png',
  status: 'done',
  digit: 7,
  confidence: 0.93,
  top3: [
    { digit: 7, prob: 0.93 },
    { digit: 1, prob: 0.04 },
    { digit: 9, prob: 0.02 },
  ],
  uncertain: false,
  error_code: null,
};

describe('results.csv', () => {
  it('keeps a file name that a spreadsheet would run as a formula as text', () => {
    for (const name of ['=HYPERLINK("http://evil.test","x").png', '+1+1.png', '-2+3.png', '@SUM(A1).png', '\tcmd.png', '\rcmd.png']) {
      const cell = parseCsv(csvLine({ ...done, name }))[0]?.[1];
      expect(cell).toBe(`'${name}`);
    }
    // Ordinary names are left alone, even with the same characters further in.
    expect(csvCell('a=b+c-d@e.png')).toBe('a=b+c-d@e.png');
  });

  it('quotes commas, quotes and line breaks so every item stays one row with its own cells', () => {
    const name = 'odd, "quoted"\nname.png';
    const rows = parseCsv(csvHeader() + csvLine({ ...done, name }) + csvLine({ ...done, index: 4, name: 'plain.png' }));
    expect(rows).toHaveLength(3);
    expect(rows[1]?.[1]).toBe(name);
    expect(rows[2]?.[1]).toBe('plain.png');
  });

  it('has the contract\'s columns, top-3 spread out, and empty cells for what an error lacks', () => {
    const rows = parseCsv(csvHeader() + csvLine(done) + csvLine({ index: 5, name: 'notes.txt', status: 'error', digit: null, confidence: null, top3: null, uncertain: null, error_code: 'invalid_image' }));
    expect(rows[0]).toEqual([...BATCH_RESULTS_CSV_COLUMNS]);
    const byColumn = (row: string[] | undefined): Record<string, string | undefined> => Object.fromEntries(BATCH_RESULTS_CSV_COLUMNS.map((c, i) => [c, row?.[i]]));
    expect(byColumn(rows[1])).toMatchObject({ index: '3', status: 'done', digit: '7', confidence: '0.93', uncertain: 'false', top1_digit: '7', top2_digit: '1', top3_digit: '9', top3_prob: '0.02', error_code: '' });
    expect(byColumn(rows[2])).toMatchObject({ index: '5', status: 'error', digit: '', confidence: '', top1_digit: '', error_code: 'invalid_image' });
  });
});
