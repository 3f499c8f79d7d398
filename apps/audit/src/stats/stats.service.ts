import { SINGLE_IMAGE_ROUTES, type AdminStats, type StatsDay, type StatsMinute } from '@inkwell/contracts';
import type { StatsStore } from './stats.store';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const utcDay = (d: Date): string => d.toISOString().slice(0, 10);
const minuteOf = (d: Date): number => Math.floor(d.getTime() / MINUTE_MS) * MINUTE_MS;

/**
 * The admin statistics, computed from the audit log's rollups (three indexed reads of a few hundred
 * rows) and cached for `cacheMs`: every admin polling every 5 s, and every open stream, share one
 * computation per interval (concurrent callers wait on the same one).
 */
export class StatsService {
  private cached: { at: number; value: Promise<AdminStats> } | undefined;

  constructor(
    private readonly store: StatsStore,
    private readonly cacheMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  current(): Promise<AdminStats> {
    const t = this.now().getTime();
    if (this.cached && t - this.cached.at < this.cacheMs) return this.cached.value;
    const value = this.compute(new Date(t));
    this.cached = { at: t, value };
    // A failed computation is not cached: the next caller tries again.
    value.catch(() => {
      if (this.cached?.value === value) this.cached = undefined;
    });
    return value;
  }

  async compute(now: Date): Promise<AdminStats> {
    const today = utcDay(now);
    const dayList = Array.from({ length: 30 }, (_, i) => utcDay(new Date(now.getTime() - (29 - i) * DAY_MS)));
    const from = dayList[0] ?? today;
    const thisMinute = minuteOf(now);
    const hourFrom = new Date(thisMinute - 59 * MINUTE_MS);
    const [days, minutes, actors] = await Promise.all([this.store.days(from), this.store.minutes(hourFrom), this.store.actors(from)]);

    const perDay = new Map<string, StatsDay>(dayList.map((day) => [day, { day, images: 0, successes: 0, errors: 0, api_requests: 0, api_failures: 0, active_users: 0 }]));
    const todayImages = { single: 0, batch: 0 };
    const errorsByCode: Record<string, number> = {};
    const failuresByStatus: Record<string, number> = {};
    for (const r of days) {
      const d = perDay.get(r.day);
      if (!d) continue;
      const isToday = r.day === today;
      switch (r.metric) {
        case 'images':
          d.images += r.count;
          if (isToday) todayImages[SINGLE_IMAGE_ROUTES.includes(r.key) ? 'single' : 'batch'] += r.count;
          break;
        case 'image_successes':
          d.successes += r.count;
          break;
        case 'image_errors':
          d.errors += r.count;
          if (isToday) errorsByCode[r.key] = (errorsByCode[r.key] ?? 0) + r.count;
          break;
        case 'api_requests':
          d.api_requests += r.count;
          break;
        case 'api_failures':
          d.api_failures += r.count;
          if (isToday) failuresByStatus[r.key] = (failuresByStatus[r.key] ?? 0) + r.count;
          break;
      }
    }
    const todayActors = { users: 0, api_keys: 0 };
    for (const a of actors) {
      const d = perDay.get(a.day);
      if (d) d.active_users += a.actors;
      if (a.day === today && a.actor_kind === 'user') todayActors.users += a.actors;
      if (a.day === today && a.actor_kind === 'api_key') todayActors.api_keys += a.actors;
    }

    const perMinute = new Map<number, StatsMinute>();
    for (let i = 0; i < 60; i++) {
      const m = hourFrom.getTime() + i * MINUTE_MS;
      perMinute.set(m, { minute: new Date(m).toISOString(), images: 0, errors: 0, api_requests: 0 });
    }
    for (const r of minutes) {
      const m = perMinute.get(r.minute.getTime());
      if (!m) continue;
      if (r.metric === 'images') m.images += r.count;
      else if (r.metric === 'image_errors') m.errors += r.count;
      else if (r.metric === 'api_requests') m.api_requests += r.count;
    }

    const series30 = [...perDay.values()];
    const t = perDay.get(today) ?? { images: 0, successes: 0, errors: 0, api_requests: 0, api_failures: 0 };
    return {
      generated_at: now.toISOString(),
      day: today,
      images_processed: { ...todayImages, total: t.images },
      successes: t.successes,
      success_rate: t.images > 0 ? Math.min(1, t.successes / t.images) : null,
      errors: { total: t.errors, by_code: errorsByCode },
      active_users: { ...todayActors, total: todayActors.users + todayActors.api_keys },
      api: { requests: t.api_requests, failures: t.api_failures, failures_by_status: failuresByStatus },
      requests_per_minute: perMinute.get(thisMinute - MINUTE_MS)?.api_requests ?? 0,
      series: { last_hour: [...perMinute.values()], last_7_days: series30.slice(-7), last_30_days: series30 },
    };
  }
}
