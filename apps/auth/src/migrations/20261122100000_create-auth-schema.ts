import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

export const createAuthSchema: Migration = {
  name: '20261122100000_create-auth-schema',
  async up(db: Knex) {
    await db.schema.createTable('users', (t) => {
      t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
      t.text('email').notNullable();
      t.text('name').notNullable();
      t.text('role').notNullable().checkIn(['viewer', 'engineer', 'admin']);
      t.boolean('active').notNullable().defaultTo(true);
      t.text('password_hash').notNullable();
      t.boolean('must_change_password').notNullable().defaultTo(false);
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('last_login_at', { useTz: true });
      t.timestamp('deactivated_at', { useTz: true });
    });
    // Emails are unique regardless of case.
    await db.raw('create unique index users_email_lower_key on users (lower(email))');

    await db.schema.createTable('refresh_tokens', (t) => {
      t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
      // A family is one sign-in: every rotation stays in it, and reuse of an old token kills it all.
      t.uuid('family_id').notNullable().index();
      t.uuid('user_id').notNullable().references('id').inTable('users');
      t.text('token_hash').notNullable().unique();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('expires_at', { useTz: true }).notNullable();
      t.timestamp('used_at', { useTz: true });
      t.timestamp('revoked_at', { useTz: true });
      t.text('ip');
      t.text('user_agent');
    });

    await db.schema.createTable('api_keys', (t) => {
      t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
      t.text('name').notNullable();
      t.text('prefix').notNullable().unique();
      t.text('secret_hash').notNullable().unique();
      t.text('role').notNullable().checkIn(['viewer', 'engineer', 'admin']);
      t.integer('rate_limit_per_min');
      t.uuid('created_by').references('id').inTable('users');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('expires_at', { useTz: true });
      t.timestamp('last_used_at', { useTz: true });
      t.timestamp('revoked_at', { useTz: true });
    });

    // Transactional outbox: audit events and emails are written with the change they describe and
    // relayed to the queue afterwards, so a Redis outage loses none.
    await db.schema.createTable('outbox', (t) => {
      t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
      t.text('topic').notNullable();
      t.jsonb('payload').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('sent_at', { useTz: true });
      t.integer('attempts').notNullable().defaultTo(0);
      t.text('last_error');
    });
    await db.raw('create index outbox_unsent_idx on outbox (created_at) where sent_at is null');
  },
  async down(db: Knex) {
    await db.schema.dropTable('outbox');
    await db.schema.dropTable('api_keys');
    await db.schema.dropTable('refresh_tokens');
    await db.schema.dropTable('users');
  },
};
