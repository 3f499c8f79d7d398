import { readFileSync } from 'node:fs';
import type { DigitSet } from './idx';
import { DatasetFormatError } from './errors';

const PIXELS = 784;

export interface CsvOptions {
  /** true: the first line is a header; false: it is data; 'auto' (default): a header if its first field is not a number. */
  header?: boolean | 'auto';
}

/** What is wrong with one CSV row; `field` is 0 for the label, 1..784 for pixels, null for the row. */
export interface CsvRowError {
  readonly kind: 'wrong_shape' | 'non_numeric' | 'label_out_of_range' | 'pixel_out_of_range';
  readonly field: number | null;
  readonly message: string;
}

/** The 'auto' header rule: a first line whose first field is not a number is a header. */
export function looksLikeCsvHeader(line: string): boolean {
  return !/^\s*\d+(\.0*)?\s*,/.test(line);
}

/**
 * Parses one `label,p0,...,p783` row into `pixels` (784 bytes) without splitting the line into
 * strings: a large CSV is hundreds of millions of fields. Returns the label, or what is wrong.
 */
export function parseCsvDigitRow(line: string, pixels: Uint8Array): number | CsvRowError {
  let field = 0;
  let label = -1;
  let start = 0;
  const n = line.length;
  for (;;) {
    let end = line.indexOf(',', start);
    if (end === -1) end = n;
    if (field > PIXELS) {
      field++;
      if (end === n) break;
      start = end + 1;
      continue;
    }
    // Fast path: plain digits (what every MNIST CSV holds); anything else goes through Number().
    let v = 0;
    let digits = 0;
    let i = start;
    for (; i < end; i++) {
      const c = line.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      digits++;
    }
    if (i < end || digits === 0) {
      const raw = line.slice(start, end);
      v = raw.trim() === '' ? Number.NaN : Number(raw);
      if (Number.isNaN(v)) {
        return { kind: 'non_numeric', field, message: `${field === 0 ? 'label' : `pixel ${field - 1}`} is ${JSON.stringify(raw)}, not a number` };
      }
    }
    const max = field === 0 ? 9 : 255;
    if (!Number.isInteger(v) || v < 0 || v > max) {
      const raw = line.slice(start, end);
      return field === 0
        ? { kind: 'label_out_of_range', field, message: `label is ${JSON.stringify(raw)}, expected an integer 0..9` }
        : { kind: 'pixel_out_of_range', field, message: `pixel ${field - 1} is ${JSON.stringify(raw)}, expected an integer 0..255` };
    }
    if (field === 0) label = v;
    else pixels[field - 1] = v;
    field++;
    if (end === n) break;
    start = end + 1;
  }
  if (field !== PIXELS + 1) return { kind: 'wrong_shape', field: null, message: `expected ${PIXELS + 1} fields (label + 784 pixels), found ${field}` };
  return label;
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
  if (headerMode === true || (headerMode === 'auto' && looksLikeCsvHeader(first))) start = 1;
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
