import type { ReportDocument } from './report-document';

const COLUMNS = ['section', 'table', 'row', 'column', 'value'] as const;

/**
 * One cell as RFC 4180 wants it (quoted when it holds a comma, quote, CR or LF; quotes doubled),
 * and, like the audit export, a cell a spreadsheet would run as a formula (starting = + - @ tab
 * CR) prefixed with `'` (OWASP). A cell that is a plain number ('-0.0012', '+3') is left as
 * it is: a spreadsheet reads it as a number, never as a formula, and deltas stay numbers.
 */
export function csvCell(text: string): string {
  const numeric = /^[+-]?\d+(\.\d+)?$/.test(text);
  const safe = !numeric && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Every table of the report in long form: one header row, then one line per cell (section id,
 * table id, the row's first cell, the column's name, the value), CRLF line ends (RFC 4180). Long
 * form gives every table of a report one header, so the file parses as one table.
 */
export function renderCsv(doc: ReportDocument): string {
  const lines: string[] = [COLUMNS.join(',')];
  for (const s of doc.sections) {
    for (const t of s.tables) {
      for (const row of t.rows) {
        const label = row[0] ?? '';
        t.columns.forEach((column, i) => {
          if (i === 0) return;
          lines.push([s.id, t.id, label, column, row[i] ?? ''].map(csvCell).join(','));
        });
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
