import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/** When an administrator-set temporary password stops working; null for passwords users chose. */
export const temporaryPasswordExpiry: Migration = {
  name: '20261206100000_temporary-password-expiry',
  async up(db: Knex) {
    await db.schema.alterTable('users', (t) => {
      t.timestamp('temporary_password_expires_at', { useTz: true });
    });
    // Temporary passwords handed out before this column existed expire as new ones do (the
    // TEMP_PASSWORD_TTL_H default, 72 h, from when the user was created), not never.
    await db('users').where({ must_change_password: true }).whereNull('temporary_password_expires_at').update({ temporary_password_expires_at: db.raw("created_at + interval '72 hours'") });
  },
  async down(db: Knex) {
    await db.schema.alterTable('users', (t) => {
      t.dropColumn('temporary_password_expires_at');
    });
  },
};
