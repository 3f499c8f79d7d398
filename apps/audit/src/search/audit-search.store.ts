import type { Knex } from 'knex';
import { z } from 'zod';
import { AUDIT_CSV_COLUMNS, AuditEventType, type AuditLogEntry, type AuditLogFilter } from '@inkwell/contracts';
import { applyAuditFilter } from './audit-filter';

/** What a search reads: the export's columns, which are every stored field but the previous hash. */
const COLUMNS = AUDIT_CSV_COLUMNS;

/** A row of `audit.events` as pg hands it over (bigint as number, timestamptz as Date, jsonb parsed). */
const EventRow = z
  .object({
    seq: z.number().int().positive(),
    event_id: z.string(),
    occurred_at: z.date(),
    recorded_at: z.date(),
    service: z.string(),
    type: AuditEventType,
    action: z.string(),
    result: z.enum(['success', 'failure']),
    actor_kind: z.string(),
    actor_id: z.string().nullable(),
    actor_email: z.string().nullable(),
    actor_role: z.string().nullable(),
    resource_type: z.string().nullable(),
    resource_id: z.string().nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    hash: z.string(),
  })
  .transform(
    (r): AuditLogEntry => ({
      seq: r.seq,
      event_id: r.event_id,
      occurred_at: r.occurred_at.toISOString(),
      recorded_at: r.recorded_at.toISOString(),
      service: r.service,
      type: r.type,
      action: r.action,
      result: r.result,
      actor: { kind: r.actor_kind, id: r.actor_id, email: r.actor_email, role: r.actor_role },
      resource: r.resource_type === null ? null : { type: r.resource_type, id: r.resource_id },
      ip: r.ip,
      user_agent: r.user_agent,
      request_id: r.request_id,
      details: r.details,
      hash: r.hash,
    }),
  );

/** Under this many events in a time range, the range is read through its index and sorted (about 50 ms at most here). */
const NARROW_RANGE_ROWS = 60_000;

/** An export row as pg hands it over with `rowMode: 'array'`: one value per AUDIT_CSV_COLUMNS entry, in that order. */
export type ExportRow = readonly unknown[];

/** pg's result with `rowMode: 'array'`: each row an array (kept as it is, not copied), and the column names. */
const ArrayRows = z.object({
  fields: z.array(z.object({ name: z.string() })),
  rows: z.array(z.custom<ExportRow>((r) => Array.isArray(r))),
});

const ExplainRows = z.object({ rows: z.array(z.object({ 'QUERY PLAN': z.array(z.object({ Plan: z.object({ 'Plan Rows': z.number() }) })) })) });

/** The audit log's read side: all its SQL. Rows are only ever read here, never written. */
export class AuditSearchStore {
  constructor(private readonly db: Knex) {}

  /**
   * Matches newest first, below `before` (a seq) when given.
   *
   * A time range needs a choice PostgreSQL makes badly here: reading `seq` backwards until a page
   * of matches turns up is instant for recent times but reads every newer row (hundreds of
   * thousands) for a day two months ago, since the planner does not know that `occurred_at` follows
   * `seq`. So a range holding few events (the planner's row estimate, from the column histogram)
   * is read from the `occurred_at` index and sorted (`seq + 0` rules out the backward read); a
   * broad one backwards by `seq`.
   */
  async newestFirst(filter: AuditLogFilter, opts: { readonly before: number | null; readonly limit: number }): Promise<AuditLogEntry[]> {
    return this.rows(this.newestFirstQuery(filter, { ...opts, byTime: await this.readsByTime(filter) }));
  }

  /**
   * Whether newest-first reads of this filter go through the `occurred_at` index and sort (a time
   * range holding few events) rather than backwards by `seq`: see `newestFirst`. An export asks once.
   */
  async readsByTime(filter: AuditLogFilter): Promise<boolean> {
    return (filter.from !== undefined || filter.to !== undefined) && (await this.estimateInTimeRange(filter)) < NARROW_RANGE_ROWS;
  }

  /**
   * `newestFirst` for the CSV export: the rows as pg's arrays in AUDIT_CSV_COLUMNS order, with no
   * object or zod parse per row (the CSV writer checks each value as it writes it); the column list
   * is checked once per batch. And the seq to continue below, null when the batch is empty.
   */
  async newestFirstRows(filter: AuditLogFilter, opts: { readonly before: number | null; readonly limit: number; readonly byTime: boolean }): Promise<{ readonly rows: readonly ExportRow[]; readonly last: number | null }> {
    const { sql, bindings } = this.newestFirstQuery(filter, opts).toSQL();
    const result = ArrayRows.parse(await this.db.raw(sql, bindings).options({ rowMode: 'array' }));
    if (result.fields.length !== COLUMNS.length || result.fields.some((f, i) => f.name !== COLUMNS[i])) {
      throw new Error(`audit export: the query answered columns ${result.fields.map((f) => f.name).join(', ')}`);
    }
    const last = result.rows[result.rows.length - 1]?.[0];
    if (last !== undefined && typeof last !== 'number') throw new Error(`audit export: a seq of type ${typeof last}`);
    return { rows: result.rows, last: last ?? null };
  }

  private newestFirstQuery(filter: AuditLogFilter, opts: { readonly before: number | null; readonly limit: number; readonly byTime: boolean }): Knex.QueryBuilder {
    const q = applyAuditFilter(this.db('events').select(COLUMNS), filter)
      .orderByRaw(opts.byTime ? 'seq + 0 desc' : 'seq desc')
      .limit(opts.limit);
    if (opts.before !== null) void q.where('seq', '<', opts.before);
    return q;
  }

  /** The planner's estimate of the events in the filter's time range (one plan, no rows read). */
  private async estimateInTimeRange(filter: AuditLogFilter): Promise<number> {
    const q = this.db('events').select(this.db.raw('1'));
    if (filter.from !== undefined) void q.where('occurred_at', '>=', filter.from);
    if (filter.to !== undefined) void q.where('occurred_at', '<', filter.to);
    const sql = q.toSQL();
    const result: unknown = await this.db.raw(`explain (format json) ${sql.sql}`, sql.bindings);
    return ExplainRows.parse(result).rows[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? Infinity;
  }

  /** Matches oldest first, with `after < seq <= upTo`: what the live stream sends next. */
  async oldestFirst(filter: AuditLogFilter, opts: { readonly after: number; readonly upTo: number; readonly limit: number }): Promise<AuditLogEntry[]> {
    const q = applyAuditFilter(this.db('events').select(COLUMNS), filter).where('seq', '>', opts.after).where('seq', '<=', opts.upTo).orderBy('seq', 'asc').limit(opts.limit);
    return this.rows(q);
  }

  /** The newest seq stored (0 when none): where a live tail without `Last-Event-ID` starts. */
  async headSeq(): Promise<number> {
    const row: unknown = await this.db('events').max({ head: 'seq' }).first();
    return z.object({ head: z.number().nullable() }).parse(row).head ?? 0;
  }

  private async rows(q: Knex.QueryBuilder): Promise<AuditLogEntry[]> {
    const rows: unknown[] = await q;
    return rows.map((r) => EventRow.parse(r));
  }
}
