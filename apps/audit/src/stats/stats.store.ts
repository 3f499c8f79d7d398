import type { Db } from '@inkwell/db';

export interface DayCount {
  readonly day: string;
  readonly metric: string;
  readonly key: string;
  readonly count: number;
}

export interface MinuteCount {
  readonly minute: Date;
  readonly metric: string;
  readonly count: number;
}

export interface DayActors {
  readonly day: string;
  readonly actor_kind: string;
  readonly actors: number;
}

/** All SQL of the stats: reads of the rollups the `events` trigger keeps (migration 20261210200000). */
export class StatsStore {
  constructor(private readonly db: Db) {}

  /** Per UTC day, metric and key, from `fromDay` (YYYY-MM-DD) on: at most days x metrics x keys rows. */
  async days(fromDay: string): Promise<DayCount[]> {
    const rows: DayCount[] = await this.db('stats_days').where('day', '>=', fromDay).select('day', 'metric', 'key', 'count');
    return rows;
  }

  /** Per minute and metric (keys summed) from `from` on. */
  async minutes(from: Date): Promise<MinuteCount[]> {
    const rows: MinuteCount[] = await this.db('stats_minutes').where('minute', '>=', from).groupBy('minute', 'metric').select('minute', 'metric').sum({ count: 'count' });
    return rows.map((r) => ({ minute: new Date(r.minute), metric: r.metric, count: Number(r.count) }));
  }

  /** Distinct users and API keys per UTC day, from `fromDay` on. */
  async actors(fromDay: string): Promise<DayActors[]> {
    const rows: DayActors[] = await this.db('stats_actors').where('day', '>=', fromDay).groupBy('day', 'actor_kind').select('day', 'actor_kind').count({ actors: '*' });
    return rows.map((r) => ({ ...r, actors: Number(r.actors) }));
  }

  /** Image read failures with one of `codes` since `from` (the capacity-refusal alert). */
  async imageErrorsSince(from: Date, codes: readonly string[]): Promise<number> {
    const row = (await this.db('stats_minutes').where('minute', '>=', from).andWhere('metric', 'image_errors').whereIn('key', codes).sum({ n: 'count' }).first()) as { n: number | string | null } | undefined;
    return Number(row?.n ?? 0);
  }

  /** API calls and those answered 5xx since `from` (the error-rate alert). */
  async apiErrorsSince(from: Date): Promise<{ requests: number; serverErrors: number }> {
    const rows: { metric: string; key: string; n: number | string }[] = await this.db('stats_minutes')
      .where('minute', '>=', from)
      .whereIn('metric', ['api_requests', 'api_failures'])
      .groupBy('metric', 'key')
      .select('metric', 'key')
      .sum({ n: 'count' });
    let requests = 0;
    let serverErrors = 0;
    for (const r of rows) {
      if (r.metric === 'api_requests') requests += Number(r.n);
      else if (/^5\d\d$/.test(r.key)) serverErrors += Number(r.n);
    }
    return { requests, serverErrors };
  }
}
