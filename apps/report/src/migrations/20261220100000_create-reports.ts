import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/**
 * Reports and their rendered files. A report's id is derived from its subject (see report-id.ts),
 * so asking twice names one row. `created_at` is the subject's record time (null until the render
 * job has fetched the inputs), never the clock: it is the time the files show. `requested_at` is
 * the clock's, for listing only. The inputs are kept, so a file can be rendered again and checked
 * byte for byte.
 */
export const createReports: Migration = {
  name: '20261220100000_create-reports',
  async up(db: Knex) {
    await db.raw(`
      create table reports (
        id uuid primary key,
        kind text not null check (kind in ('benchmark', 'comparison')),
        subject_ids uuid[] not null,
        status text not null check (status in ('queued', 'ready', 'failed')),
        status_reason text,
        created_at timestamptz,
        requested_at timestamptz not null,
        requested_by text,
        inputs jsonb,
        updated_at timestamptz not null
      )`);
    await db.raw('create index reports_requested_at on reports (requested_at desc, id)');
    await db.raw(`
      create table report_files (
        report_id uuid not null references reports (id) on delete cascade,
        view text not null check (view in ('technical', 'simple')),
        format text not null check (format in ('pdf', 'html', 'json', 'csv')),
        sha256 text not null,
        bytes bytea not null,
        primary key (report_id, view, format)
      )`);
  },
  async down(db: Knex) {
    await db.raw('drop table if exists report_files');
    await db.raw('drop table if exists reports');
  },
};
