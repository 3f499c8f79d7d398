import type { Db } from '@inkwell/db';

export interface UsageRow {
  readonly day: string;
  readonly route: string;
  readonly metric: string;
  readonly key: string;
  readonly count: number;
}

/** All SQL for usage counters. */
export class UsageStore {
  constructor(private readonly db: Db) {}

  /** Adds the counts in one statement (rows with the same primary key are summed). */
  async add(rows: readonly UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db('usage_counters')
      .insert(rows.map((r) => ({ ...r, updated_at: this.db.fn.now() })))
      .onConflict(['day', 'route', 'metric', 'key'])
      .merge({ count: this.db.raw('usage_counters.count + excluded.count'), updated_at: this.db.fn.now() });
  }

  async forDay(day: string): Promise<UsageRow[]> {
    // `day` comes back as 'YYYY-MM-DD' (@inkwell/db's DATE parser), whatever the process's time zone.
    const rows: UsageRow[] = await this.db('usage_counters').where({ day }).select('day', 'route', 'metric', 'key', 'count').orderBy(['route', 'metric', 'key']);
    return rows;
  }
}
