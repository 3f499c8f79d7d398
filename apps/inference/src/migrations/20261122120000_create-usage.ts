import type { Migration } from '@inkwell/db';

/**
 * Daily usage counters in long form, one row per (day, route, metric, key): `requests` and
 * `successes` (key ''), `errors` (key = error code), `latency_ms_le` (key = bucket upper bound in
 * ms, 'inf' last; per-bucket counts, not cumulative) and `latency_ms_sum` (key ''). Additive
 * upserts let several replicas flush into the same rows. No image or user data is stored.
 */
export const createUsage: Migration = {
  name: '20261122120000_create-usage',
  async up(db) {
    await db.schema.createTable('usage_counters', (t) => {
      t.date('day').notNullable();
      t.text('route').notNullable();
      t.text('metric').notNullable();
      t.text('key').notNullable().defaultTo('');
      t.bigInteger('count').notNullable().defaultTo(0);
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.primary(['day', 'route', 'metric', 'key']);
    });
  },
  async down(db) {
    await db.schema.dropTable('usage_counters');
  },
};
