import { BATCH_RESULTS_CSV_COLUMNS, type BatchItemResult, type BatchResultsCsvColumn } from '@inkwell/contracts';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe
 * (OWASP's advice): file names come from the uploader's ZIP, and a name like `=HYPERLINK(...)`
 * must reach the person opening results.csv as text. Only text cells are guarded; numbers are
 * written by us and a negative one never occurs.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvHeader = (): string => `${BATCH_RESULTS_CSV_COLUMNS.join(',')}\r\n`;

/** One item as a results.csv line (RFC 4180, CRLF), in BATCH_RESULTS_CSV_COLUMNS' order. */
export function csvLine(item: BatchItemResult): string {
  const top = (rank: number, field: 'digit' | 'prob'): number | null => item.top3?.[rank]?.[field] ?? null;
  const cells: Record<BatchResultsCsvColumn, string | number | boolean | null> = {
    index: item.index,
    name: item.name,
    status: item.status,
    digit: item.digit,
    confidence: item.confidence,
    uncertain: item.uncertain,
    top1_digit: top(0, 'digit'),
    top1_prob: top(0, 'prob'),
    top2_digit: top(1, 'digit'),
    top2_prob: top(1, 'prob'),
    top3_digit: top(2, 'digit'),
    top3_prob: top(2, 'prob'),
    error_code: item.error_code,
  };
  return `${BATCH_RESULTS_CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',')}\r\n`;
}
