import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Role, User, UserListQuery } from '@inkwell/contracts';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  password_hash: string;
  must_change_password: boolean;
  /** Set with an administrator-set temporary password; null once the user chose their own. */
  temporary_password_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  deactivated_at: Date | null;
}

/** The public shape: never the password hash. */
export const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  active: r.active,
  must_change_password: r.must_change_password,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  last_login_at: r.last_login_at ? r.last_login_at.toISOString() : null,
});

export const findUserByEmail = (db: Knex, email: string): Promise<UserRow | undefined> =>
  db<UserRow>('users').whereRaw('lower(email) = lower(?)', [email]).first();

export const findUserById = (db: Knex, id: string): Promise<UserRow | undefined> => db<UserRow>('users').where({ id }).first();

/** Reads the user and locks their row until the transaction ends, so edits and sign-ins of one user take turns. */
/**
 * Locks the user's row until the transaction ends and returns its current state.
 *
 * Every transaction that issues, spends or revokes a user's refresh tokens takes this lock first,
 * and so does every change to the row (password, active flag, role). That makes them happen one
 * after the other, each seeing what the previous one committed. Without it, a revocation misses a
 * token that a concurrent login or refresh inserts (an UPDATE only sees rows committed before it
 * started), and a login issues a token for a password that was just changed.
 */
export const lockUser = (trx: Knex.Transaction, id: string): Promise<UserRow | undefined> => trx<UserRow>('users').where({ id }).forUpdate().first();

/** The advisory lock key for "the set of active admins", derived from a name like the migration lock's. */
const ADMIN_SET_LOCK_KEY = createHash('sha256').update('inkwell-auth:admin-set').digest().readBigInt64BE(0).toString();

/**
 * Makes changes that could shrink the set of active admins take turns until the transaction ends,
 * so each one counts the admins after the previous one committed.
 */
export async function lockAdminSet(trx: Knex.Transaction): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(?::bigint)', [ADMIN_SET_LOCK_KEY]);
}

export async function insertUser(
  db: Knex,
  u: { email: string; name: string; role: Role; password_hash: string; must_change_password: boolean; temporary_password_expires_at?: Date | null },
): Promise<UserRow> {
  const [row] = await db<UserRow>('users').insert(u).returning('*');
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateUser(db: Knex, id: string, patch: Partial<Pick<UserRow, 'email' | 'name' | 'role' | 'active' | 'password_hash' | 'must_change_password' | 'temporary_password_expires_at' | 'last_login_at' | 'deactivated_at'>>): Promise<UserRow | undefined> {
  const [row] = await db<UserRow>('users').where({ id }).update({ ...patch, updated_at: db.fn.now() as unknown as Date }).returning('*');
  return row;
}

export async function listUsers(db: Knex, q: UserListQuery): Promise<{ rows: UserRow[]; total: number }> {
  const base = db<UserRow>('users').modify((qb) => {
    if (q.role) qb.where('role', q.role);
    if (q.status) qb.where('active', q.status === 'active');
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.where((w) => w.whereILike('name', like).orWhereILike('email', like));
    }
  });
  const [count] = await base.clone().count<{ count: number }[]>({ count: '*' });
  const rows = await base.clone().select('*').orderBy([{ column: 'created_at', order: 'asc' }, { column: 'id' }]).limit(q.page_size).offset((q.page - 1) * q.page_size);
  return { rows, total: Number(count?.count ?? 0) };
}

export const countAdmins = async (db: Knex): Promise<number> => {
  const [c] = await db('users').where({ role: 'admin', active: true }).count<{ count: number }[]>({ count: '*' });
  return Number(c?.count ?? 0);
};
