import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/**
 * The audit log: `events`, partitioned by month of `recorded_at` (the partitions themselves are
 * made by the service, see partitions.store.ts), the writer's index of stored event ids, the one
 * row that holds the head of the hash chain (its lock serialises writers), and signed checkpoints.
 */
export const createAuditEvents: Migration = {
  name: '20261210100000_create-audit-events',
  async up(db: Knex) {
    // Partitioned by when the audit service stored the event, which grows with `seq`: dropping the
    // oldest partitions removes a prefix of the chain, never a hole in it. No default partition:
    // a row for a month without one fails loudly instead of landing where retention never looks.
    await db.raw(`
      create table events (
        seq bigint not null,
        event_id uuid not null,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null,
        service text not null,
        type text not null check (type in ('api', 'user', 'system')),
        action text not null,
        result text not null check (result in ('success', 'failure')),
        actor_kind text not null,
        actor_id text,
        actor_email text,
        actor_role text,
        resource_type text,
        resource_id text,
        ip text,
        user_agent text,
        request_id text,
        details jsonb not null default '{}',
        prev_hash text not null,
        hash text not null,
        primary key (seq, recorded_at)
      ) partition by range (recorded_at)`);
    // Idempotency: an event id is stored once however often its job is delivered. Unpartitioned,
    // so the check is one index probe; `seq` lets verify name a deleted event.
    await db.raw(`create table event_ids (event_id uuid primary key, seq bigint not null unique)`);
    // One row: the last seq and hash written, and the first seq retention kept (`floor_seq`).
    await db.raw(`
      create table chain_head (
        id boolean primary key default true check (id),
        seq bigint not null default 0,
        hash text not null,
        recorded_at timestamptz,
        floor_seq bigint not null default 1,
        last_checkpoint_seq bigint not null default 0
      )`);
    await db.raw(`insert into chain_head (id, hash) values (true, repeat('0', 64))`);
    // A checkpoint vouches (HMAC) that the event at `seq` had hash `hash`; verify starts from one.
    // The signature also covers `prev_seq` (the checkpoint before it: a signed linked list, so a
    // deleted checkpoint is missed by its successor), `max_gap` (the writer's AUDIT_CHECKPOINT_EVERY:
    // more events than that after the newest one means newer ones were deleted) and `floor`
    // (written by retention at the last event it dropped: the only thing that vouches for
    // chain_head.floor_seq).
    await db.raw(`
      create table checkpoints (
        seq bigint primary key,
        hash text not null,
        recorded_at timestamptz not null,
        created_at timestamptz not null,
        prev_seq bigint not null,
        max_gap bigint not null,
        floor boolean not null default false,
        signature text not null
      )`);
  },
  async down(db: Knex) {
    await db.raw('drop table if exists checkpoints, chain_head, event_ids, events cascade');
  },
};
