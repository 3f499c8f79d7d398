import type { Knex } from 'knex';
import { z } from 'zod';
import type { Db } from '@inkwell/db';

// Rows as pg hands them over: `date` as 'YYYY-MM-DD' (libs/db keeps it a string), timestamptz as
// a Date, bigint columns as numbers, and sum()/count() (numeric / bigint) as numbers or strings.
const Count = z.union([z.number(), z.string()]).transform(Number).pipe(z.number().nonnegative());
const SumOrNull = z.union([z.number(), z.string(), z.null()]).transform((v) => Number(v ?? 0));

const DayCountRow = z.object({ day: z.string(), metric: z.string(), key: z.string(), count: Count });
export type DayCount = z.infer<typeof DayCountRow>;

const MinuteCountRow = z.object({ minute: z.date(), metric: z.string(), count: Count });
export type MinuteCount = z.infer<typeof MinuteCountRow>;

const DayActorsRow = z.object({ day: z.string(), actor_kind: z.string(), actors: Count });
export type DayActors = z.infer<typeof DayActorsRow>;

const SumRow = z.object({ n: SumOrNull });
const MetricSumRow = z.object({ metric: z.string(), key: z.string(), n: Count });

/** How long the rollups are kept: the stats read the last hour per minute and 30 days per day. */
export interface RollupRetention {
  /** Minute rollups older than this go (2 days). */
  readonly minutesBefore: Date;
  /** Day rollups and the per-day actor sets from before this day (YYYY-MM-DD) go (400 days). */
  readonly daysBefore: string;
}

/** All SQL of the stats: reads of the rollups the `events` trigger keeps (migration 20261210200000), and their pruning. */
export class StatsStore {
  constructor(private readonly db: Db) {}

  /** Per UTC day, metric and key, from `fromDay` (YYYY-MM-DD) on: at most days x metrics x keys rows. */
  async days(fromDay: string): Promise<DayCount[]> {
    const rows: unknown[] = await this.db('stats_days').where('day', '>=', fromDay).select('day', 'metric', 'key', 'count');
    return rows.map((r) => DayCountRow.parse(r));
  }

  /** Per minute and metric (keys summed) from `from` on. */
  async minutes(from: Date): Promise<MinuteCount[]> {
    const rows: unknown[] = await this.db('stats_minutes').where('minute', '>=', from).groupBy('minute', 'metric').select('minute', 'metric').sum({ count: 'count' });
    return rows.map((r) => MinuteCountRow.parse(r));
  }

  /** Distinct users and API keys per UTC day, from `fromDay` on. */
  async actors(fromDay: string): Promise<DayActors[]> {
    const rows: unknown[] = await this.db('stats_actors').where('day', '>=', fromDay).groupBy('day', 'actor_kind').select('day', 'actor_kind').count({ actors: '*' });
    return rows.map((r) => DayActorsRow.parse(r));
  }

  /** Image read failures with one of `codes` since `from` (the capacity-refusal alert). */
  async imageErrorsSince(from: Date, codes: readonly string[]): Promise<number> {
    const row: unknown = await this.db('stats_minutes').where('minute', '>=', from).andWhere('metric', 'image_errors').whereIn('key', codes).sum({ n: 'count' }).first();
    return row === undefined ? 0 : SumRow.parse(row).n;
  }

  /** API calls and those answered 5xx since `from` (the error-rate alert). */
  async apiErrorsSince(from: Date): Promise<{ requests: number; serverErrors: number }> {
    const rows: unknown[] = await this.db('stats_minutes')
      .where('minute', '>=', from)
      .whereIn('metric', ['api_requests', 'api_failures'])
      .groupBy('metric', 'key')
      .select('metric', 'key')
      .sum({ n: 'count' });
    let requests = 0;
    let serverErrors = 0;
    for (const r of rows.map((row) => MetricSumRow.parse(row))) {
      if (r.metric === 'api_requests') requests += r.n;
      else if (/^5\d\d$/.test(r.key)) serverErrors += r.n;
    }
    return { requests, serverErrors };
  }

  /** Deletes the rollups older than what the stats read, with room to spare (the retention pass). */
  static async prune(db: Knex, keep: RollupRetention): Promise<{ minutes: number; days: number; actors: number }> {
    const minutes = await db('stats_minutes').where('minute', '<', keep.minutesBefore).delete();
    const days = await db('stats_days').where('day', '<', keep.daysBefore).delete();
    const actors = await db('stats_actors').where('day', '<', keep.daysBefore).delete();
    return { minutes, days, actors };
  }
}
