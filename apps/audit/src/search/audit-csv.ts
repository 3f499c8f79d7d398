import { AUDIT_CSV_COLUMNS, type AuditCsvColumn } from '@inkwell/contracts';
import type { ExportRow } from './audit-search.store';

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
  return `"${safe.includes('"') ? safe.replaceAll('"', '""') : safe}"`;
}

/** What an export cell held before `csvCell`: one leading quote removed (null and '' both read back as ''). */
export const uncell = (cell: string): string => (cell.startsWith("'") ? cell.slice(1) : cell);

const badCell = (column: AuditCsvColumn, value: unknown): Error => new Error(`audit export: ${column} holds ${value === null ? 'null' : typeof value}, not what the column stores`);

/** Text a column always holds. */
const text =
  (column: AuditCsvColumn) =>
  (v: unknown): string => {
    if (typeof v !== 'string') throw badCell(column, v);
    return csvCell(v);
  };

/** Text or null. */
const optionalText =
  (column: AuditCsvColumn) =>
  (v: unknown): string => {
    if (v !== null && typeof v !== 'string') throw badCell(column, v);
    return csvCell(v);
  };

/** A timestamptz (pg's Date), as the search's JSON writes it. */
const instant =
  (column: AuditCsvColumn) =>
  (v: unknown): string => {
    if (!(v instanceof Date)) throw badCell(column, v);
    return csvCell(v.toISOString());
  };

const RESOURCE_TYPE = AUDIT_CSV_COLUMNS.indexOf('resource_type');
const resourceId = optionalText('resource_id');

/**
 * Each column's cell, straight from pg's value: the same cells the search's JSON holds (AuditLogEntry),
 * without building that entry: a zod parse and an entry object per row cost a million times over in
 * CPU and garbage. These checks allocate nothing and still refuse a value of the wrong kind (which
 * ends the download as failed, as a parse error did).
 */
const CELLS: Record<AuditCsvColumn, (v: unknown, row: ExportRow) => string> = {
  seq: (v) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw badCell('seq', v);
    return String(v);
  },
  event_id: text('event_id'),
  occurred_at: instant('occurred_at'),
  recorded_at: instant('recorded_at'),
  service: text('service'),
  type: text('type'),
  action: text('action'),
  result: text('result'),
  actor_kind: text('actor_kind'),
  actor_id: optionalText('actor_id'),
  actor_email: optionalText('actor_email'),
  actor_role: optionalText('actor_role'),
  resource_type: optionalText('resource_type'),
  // The entry has no resource without a type (`resource: null`), so its id cell is empty then too.
  resource_id: (v, row) => (row[RESOURCE_TYPE] === null ? '' : resourceId(v)),
  ip: optionalText('ip'),
  user_agent: optionalText('user_agent'),
  request_id: optionalText('request_id'),
  details: (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badCell('details', v);
    return csvCell(JSON.stringify(v));
  },
  hash: text('hash'),
};

const CELL_WRITERS = AUDIT_CSV_COLUMNS.map((c) => CELLS[c]);

export const CSV_HEADER = `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;

/** One export row as a CSV line (CRLF). */
export function csvLine(row: ExportRow): string {
  if (row.length !== CELL_WRITERS.length) throw new Error(`audit export: a row of ${row.length} values for ${CELL_WRITERS.length} columns`);
  let line = '';
  let i = 0;
  for (const cell of CELL_WRITERS) {
    line += i === 0 ? cell(row[i], row) : `,${cell(row[i], row)}`;
    i += 1;
  }
  return `${line}\r\n`;
}

/**
 * The most characters the export hands the socket at once (64 KB at most, as two-byte text). A
 * string over 128 KB goes to V8's large-object space, which only a full GC frees: a whole batch's
 * text in one string made the old generation grow by the export's size between full GCs.
 */
export const PIECE_CHARS = 32 * 1024;

/**
 * An export's text in pieces of about PIECE_CHARS: the header with the first batch's lines (so a
 * failing first query fails before anything is sent), then every batch's lines, a batch's last
 * piece sent as soon as it is written (a sparse filter's rows never wait for the next batch).
 */
export async function* csvPieces(batches: AsyncIterable<readonly ExportRow[]>): AsyncGenerator<string> {
  let piece = CSV_HEADER;
  for await (const rows of batches) {
    for (const row of rows) {
      piece += csvLine(row);
      if (piece.length >= PIECE_CHARS) {
        yield piece;
        piece = '';
      }
    }
    if (piece !== '') {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
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
