import { readFileSync } from 'node:fs';
import type { DigitSet } from './idx';
import { DatasetFormatError } from './errors';

const PIXELS = 784;

export interface CsvOptions {
  /** true: the first line is a header; false: it is data; 'auto' (default): a header if its first field is not a number. */
  header?: boolean | 'auto';
}

/**
 * Parses the common MNIST CSV layout: one digit per line, `label,p0,...,p783`, pixels integers
 * 0..255 row-major. Blank lines are skipped; every error names its line.
 */
export function parseDigitCsv(text: string, options: CsvOptions = {}): DigitSet {
  const lines = text.split(/\r?\n/);
  let start = 0;
  const first = lines[0] ?? '';
  const headerMode = options.header ?? 'auto';
  if (headerMode === true || (headerMode === 'auto' && !/^\s*\d+(\.0*)?\s*,/.test(first))) start = 1;
  const rows: number[] = [];
  for (let i = start; i < lines.length; i++) if ((lines[i] ?? '').trim() !== '') rows.push(i);
  const count = rows.length;
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const lineNo = rows[r] as number;
    const fields = (lines[lineNo] ?? '').split(',');
    if (fields.length !== PIXELS + 1) {
      throw new DatasetFormatError(`line ${lineNo + 1}: expected ${PIXELS + 1} fields (label + 784 pixels), found ${fields.length}`);
    }
    for (let f = 0; f <= PIXELS; f++) {
      const raw = fields[f] ?? '';
      const v = raw.trim() === '' ? Number.NaN : Number(raw);
      const max = f === 0 ? 9 : 255;
      if (!Number.isInteger(v) || v < 0 || v > max) {
        const what = f === 0 ? 'label' : `pixel ${f - 1}`;
        throw new DatasetFormatError(`line ${lineNo + 1}: ${what} is ${JSON.stringify(fields[f])}, expected an integer 0..${max}`);
      }
      if (f === 0) labels[r] = v;
      else pixels[r * PIXELS + f - 1] = v;
    }
  }
  return { count, rows: 28, cols: 28, pixels, labels };
}

export function loadDigitCsv(path: string, options: CsvOptions = {}): DigitSet {
  return parseDigitCsv(readFileSync(path, 'utf8'), options);
}
