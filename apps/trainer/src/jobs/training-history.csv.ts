import { TRAINING_HISTORY_COLUMNS, type TrainingHistoryRow } from '@inkwell/contracts';

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * null is an empty cell; objects (the hyperparameters) are one JSON cell.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The history as CSV: a header line of the column names, then one line per job, CRLF line ends. */
export function historyCsv(rows: readonly TrainingHistoryRow[]): string {
  const lines = [TRAINING_HISTORY_COLUMNS.join(','), ...rows.map((r) => TRAINING_HISTORY_COLUMNS.map((c) => csvCell(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
