import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/**
 * Rollups behind `GET /api/admin/stats`, kept by a trigger on `events` so they are written in the
 * same transaction as the event (exactly once, in step with the log, whoever writes it):
 * - `stats_minutes` / `stats_days`: counts per minute / UTC day of the event's own time, by metric
 *   and key: `api_requests`, `api_failures` (key: HTTP status) from the gateway's `api.*` events;
 *   `images` (key: route), `image_successes`, `image_errors` (key: error code) from inference's
 *   per-caller-per-minute `inference.predictions` events.
 * - `stats_actors`: each user or API key seen on a UTC day, once.
 * The stats route then reads at most a few hundred small rows, whatever the log's size. Malformed
 * counts in details are read as 0, never an error: a trigger failure would block ingestion.
 */
export const auditStatsRollups: Migration = {
  name: '20261210200000_audit-stats-rollups',
  async up(db: Knex) {
    await db.raw(`create table stats_minutes (minute timestamptz not null, metric text not null, key text not null default '', count bigint not null, primary key (minute, metric, key))`);
    await db.raw(`create table stats_days (day date not null, metric text not null, key text not null default '', count bigint not null, primary key (day, metric, key))`);
    await db.raw(`create table stats_actors (day date not null, actor_kind text not null, actor_id text not null, primary key (day, actor_kind, actor_id))`);
    // search_path is fixed to this schema's at creation, so the trigger works from every session.
    await db.raw(`
      create function stats_bump(p_at timestamptz, p_metric text, p_key text, p_n bigint) returns void
      language plpgsql set search_path from current as $$
      begin
        if p_n is null or p_n <= 0 then return; end if;
        insert into stats_minutes as s (minute, metric, key, count) values (date_trunc('minute', p_at), p_metric, p_key, p_n)
          on conflict (minute, metric, key) do update set count = s.count + excluded.count;
        insert into stats_days as s (day, metric, key, count) values ((p_at at time zone 'UTC')::date, p_metric, p_key, p_n)
          on conflict (day, metric, key) do update set count = s.count + excluded.count;
      end $$`);
    await db.raw(`
      create function stats_count(v jsonb) returns bigint language sql immutable as $$
        select case when jsonb_typeof(v) = 'number' and (v #>> '{}') ~ '^[0-9]{1,15}$' then (v #>> '{}')::bigint else 0 end
      $$`);
    await db.raw(`
      create function stats_rollup() returns trigger
      language plpgsql set search_path from current as $$
      declare
        e record;
      begin
        if new.type = 'api' then
          perform stats_bump(new.occurred_at, 'api_requests', '', 1);
          if new.result = 'failure' then
            perform stats_bump(new.occurred_at, 'api_failures', coalesce(new.details->>'status', ''), 1);
          end if;
        end if;
        if new.action = 'inference.predictions' then
          perform stats_bump(new.occurred_at, 'images', coalesce(new.details->>'route', ''), stats_count(new.details->'requests'));
          perform stats_bump(new.occurred_at, 'image_successes', '', stats_count(new.details->'successes'));
          if jsonb_typeof(new.details->'errors') = 'object' then
            for e in select key, value from jsonb_each(new.details->'errors') loop
              perform stats_bump(new.occurred_at, 'image_errors', e.key, stats_count(e.value));
            end loop;
          end if;
        end if;
        if new.actor_kind in ('user', 'api_key') and new.actor_id is not null then
          insert into stats_actors (day, actor_kind, actor_id) values ((new.occurred_at at time zone 'UTC')::date, new.actor_kind, new.actor_id)
            on conflict do nothing;
        end if;
        return null;
      end $$`);
    // On the partitioned table: PostgreSQL clones it onto every partition, present and future.
    await db.raw(`create trigger events_stats_rollup after insert on events for each row execute function stats_rollup()`);
  },
  async down(db: Knex) {
    await db.raw('drop trigger if exists events_stats_rollup on events');
    await db.raw('drop function if exists stats_rollup(), stats_bump(timestamptz, text, text, bigint), stats_count(jsonb)');
    await db.raw('drop table if exists stats_minutes, stats_days, stats_actors');
  },
};
