import { AUDIT_CSV_COLUMNS, type AuditCsvColumn, type AuditLogEntry } from '@inkwell/contracts';

/**
 * First characters a spreadsheet reads as a formula (OWASP "CSV Injection": = + - @, tab and
 * carriage return), plus the quote itself, so that stripping one leading quote always gives the
 * stored value back, whatever it started with.
 */
const NEUTRALISE = new Set(['=', '+', '-', '@', '\t', '\r', "'"]);

/**
 * One cell: null is an empty cell; any text (even empty) is quoted, its quotes doubled (RFC 4180),
 * so a separator inside a value never starts a new cell in any locale's spreadsheet; text a
 * spreadsheet would run as a formula gets a leading `'`.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = NEUTRALISE.has(value.charAt(0)) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** What an export cell held before `csvCell`: one leading quote removed (null and '' both read back as ''). */
export const uncell = (cell: string): string => (cell.startsWith("'") ? cell.slice(1) : cell);

const cellsOf = (e: AuditLogEntry): Record<AuditCsvColumn, string | number | null> => ({
  seq: e.seq,
  event_id: e.event_id,
  occurred_at: e.occurred_at,
  recorded_at: e.recorded_at,
  service: e.service,
  type: e.type,
  action: e.action,
  result: e.result,
  actor_kind: e.actor.kind,
  actor_id: e.actor.id,
  actor_email: e.actor.email,
  actor_role: e.actor.role,
  resource_type: e.resource?.type ?? null,
  resource_id: e.resource?.id ?? null,
  ip: e.ip,
  user_agent: e.user_agent,
  request_id: e.request_id,
  details: JSON.stringify(e.details),
  hash: e.hash,
});

export const CSV_HEADER = `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;

/** One event as a CSV line (CRLF). */
export function csvLine(e: AuditLogEntry): string {
  const cells = cellsOf(e);
  return `${AUDIT_CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',')}\r\n`;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const SPECIAL = new Set([QUOTE, COMMA, LF, CR]);

/**
 * Reads RFC 4180 CSV fed in chunks of any size (a quoted cell may hold commas, quotes and line
 * breaks, and may be cut anywhere by the network). For the export's tests and its bench, which
 * parse a million rows without holding them.
 */
export class CsvReader {
  private cell = '';
  private row: string[] = [];
  private quoted = false;
  /** Inside quotes, a `"` just read: the end of the cell or the first half of `""`. */
  private quoteSeen = false;
  private rowStarted = false;

  constructor(private readonly onRow: (cells: string[]) => void) {}

  /** Copies runs of plain text at once: a million rows character by character would take minutes. */
  push(chunk: string): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (chunk.charCodeAt(i) === QUOTE) {
            this.cell += '"';
            i += 1;
          } else {
            this.quoted = false;
          }
          continue;
        }
        const q = chunk.indexOf('"', i);
        if (q === -1) {
          this.cell += chunk.slice(i);
          return;
        }
        this.cell += chunk.slice(i, q);
        this.quoteSeen = true;
        i = q + 1;
        continue;
      }
      const c = chunk.charCodeAt(i);
      this.rowStarted = true;
      if (c === QUOTE && this.cell === '') this.quoted = true;
      else if (c === COMMA) this.endCell();
      else if (c === LF) this.endRow();
      else if (c !== CR) {
        // The CR of CRLF is skipped; a CR inside a value is always quoted, so it never reaches here.
        let j = i + 1;
        while (j < chunk.length && !SPECIAL.has(chunk.charCodeAt(j))) j += 1;
        this.cell += chunk.slice(i, j);
        i = j;
        continue;
      }
      i += 1;
    }
  }

  /** Ends the input: a last row without a line break still counts. */
  end(): void {
    if (this.quoted && !this.quoteSeen) throw new Error('CSV ended inside a quoted cell');
    this.quoted = false;
    this.quoteSeen = false;
    if (this.rowStarted) this.endRow();
  }

  private endCell(): void {
    this.row.push(this.cell);
    this.cell = '';
  }

  private endRow(): void {
    this.endCell();
    this.onRow(this.row);
    this.row = [];
    this.rowStarted = false;
  }
}
