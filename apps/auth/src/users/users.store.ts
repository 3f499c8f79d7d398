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

export async function insertUser(db: Knex, u: { email: string; name: string; role: Role; password_hash: string; must_change_password: boolean }): Promise<UserRow> {
  const [row] = await db<UserRow>('users').insert(u).returning('*');
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateUser(db: Knex, id: string, patch: Partial<Pick<UserRow, 'email' | 'name' | 'role' | 'active' | 'password_hash' | 'must_change_password' | 'last_login_at' | 'deactivated_at'>>): Promise<UserRow | undefined> {
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
