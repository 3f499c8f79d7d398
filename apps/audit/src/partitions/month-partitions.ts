import type { Knex } from 'knex';

/** One monthly partition of `audit.events`: rows with recorded_at in [from, to). */
export interface MonthPartition {
  readonly name: string;
  readonly from: Date;
  readonly to: Date;
}

const NAME = /^events_(\d{4})_(\d{2})$/;

/** The partition that holds `at` (months in UTC). */
export function monthOf(at: Date): MonthPartition {
  const from = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const to = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  const name = `events_${String(from.getUTCFullYear()).padStart(4, '0')}_${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
  return { name, from, to };
}

/** The partition a name stands for, or null for a table that is not one of ours. */
export function parsePartitionName(name: string): MonthPartition | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return monthOf(new Date(Date.UTC(Number(m[1]), month - 1, 1)));
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
function isoLiteral(d: Date): string {
  const iso = d.toISOString();
  if (!ISO.test(iso)) throw new Error(`not a plain ISO instant: ${iso}`);
  return iso;
}

// Replicas starting together would race on `create table`; this lock makes them take turns.
const PARTITION_LOCK = 'inkwell-audit-partitions';

/**
 * Creates the monthly partitions covering `from` to `to` (each month's, inclusive) that are
 * missing. Run at start, by maintenance (next month's before it begins) and by the writer for a
 * month it has not seen (a clock that jumped).
 */
export async function ensureMonthPartitions(db: Knex, from: Date, to: Date): Promise<string[]> {
  const months: MonthPartition[] = [];
  for (let m = monthOf(from); m.from <= to; m = monthOf(m.to)) months.push(m);
  const created: string[] = [];
  await db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [PARTITION_LOCK]);
    const existing = new Set((await listMonthPartitions(trx)).map((p) => p.name));
    for (const m of months) {
      if (existing.has(m.name)) continue;
      // DDL takes no bind parameters: the bounds are inlined, as Date's own ISO form only.
      await trx.raw(`create table ?? partition of events for values from ('${isoLiteral(m.from)}') to ('${isoLiteral(m.to)}')`, [m.name]);
      created.push(m.name);
    }
  });
  return created;
}

/** The partitions of `events` in this schema, oldest first. */
export async function listMonthPartitions(db: Knex): Promise<MonthPartition[]> {
  const { rows } = await db.raw<{ rows: { name: string }[] }>(
    `select c.relname as name
       from pg_inherits i
       join pg_class c on c.oid = i.inhrelid
       join pg_class p on p.oid = i.inhparent
      where p.relname = 'events' and p.relnamespace = current_schema()::regnamespace`,
  );
  return rows
    .map((r) => parsePartitionName(r.name))
    .filter((p): p is MonthPartition => p !== null)
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}
