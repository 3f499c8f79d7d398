import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/** When an administrator-set temporary password stops working; null for passwords users chose. */
export const temporaryPasswordExpiry: Migration = {
  name: '20261206100000_temporary-password-expiry',
  async up(db: Knex) {
    await db.schema.alterTable('users', (t) => {
      t.timestamp('temporary_password_expires_at', { useTz: true });
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('users', (t) => {
      t.dropColumn('temporary_password_expires_at');
    });
  },
};
