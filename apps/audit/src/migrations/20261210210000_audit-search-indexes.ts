import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/**
 * The indexes behind `GET /api/admin/audit-logs` (p95 under 500 ms at 1,000,000 events). Every page
 * is newest first by `seq`, so each equality filter gets `(column, seq)`: PostgreSQL reads the
 * newest matches straight off the index and stops after one page, with no sort. Created on the
 * partitioned table, so every monthly partition (present and future) gets them.
 */
export const createAuditSearchIndexes: Migration = {
  name: '20261210210000_audit-search-indexes',
  async up(db: Knex) {
    // Trusted since PostgreSQL 13: the database owner may create it. In `public`, where every
    // schema's search path finds it, not in whichever schema happens to migrate first.
    await db.raw('create extension if not exists pg_trgm with schema public');
    // The unfiltered page, the cursor and the live tail already have the primary key (seq, recorded_at).
    await db.raw('create index events_search_occurred_idx on events (occurred_at, seq)');
    await db.raw('create index events_search_actor_id_idx on events (actor_id, seq)');
    // The actor filter takes an e-mail in any case.
    await db.raw('create index events_search_actor_email_idx on events (lower(actor_email), seq)');
    await db.raw('create index events_search_type_idx on events (type, seq)');
    // text_pattern_ops: `action like 'auth.%'` (the prefix filter) uses it as well as equality.
    await db.raw('create index events_search_action_idx on events (action text_pattern_ops, seq)');
    await db.raw('create index events_search_result_idx on events (result, seq)');
    await db.raw('create index events_search_resource_idx on events (resource_type, resource_id, seq)');
    await db.raw('create index events_search_resource_id_idx on events (resource_id, seq)');
    await db.raw('create index events_search_ip_idx on events (ip, seq)');
    // The keyword: a substring of the action or the details, any case (ILIKE '%word%'). The search
    // must use this very expression (search/audit-filter.ts KEYWORD_DOCUMENT) for the index to serve it.
    await db.raw(`create index events_search_keyword_idx on events using gin ((action || ' ' || details::text) public.gin_trgm_ops)`);
  },
  async down(db: Knex) {
    for (const name of ['occurred', 'actor_id', 'actor_email', 'type', 'action', 'result', 'resource', 'resource_id', 'ip', 'keyword']) {
      await db.raw(`drop index if exists events_search_${name}_idx`);
    }
  },
};
