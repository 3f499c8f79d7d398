import type { Knex } from 'knex';
import type { ApiKey, Role } from '@inkwell/contracts';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  role: Role;
  rate_limit_per_min: number | null;
  created_by: string | null;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export const toApiKey = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  role: r.role,
  rate_limit_per_min: r.rate_limit_per_min,
  created_at: r.created_at.toISOString(),
  expires_at: r.expires_at?.toISOString() ?? null,
  last_used_at: r.last_used_at?.toISOString() ?? null,
  revoked_at: r.revoked_at?.toISOString() ?? null,
  created_by: r.created_by,
});

export async function insertApiKey(db: Knex, row: Omit<ApiKeyRow, 'id' | 'created_at' | 'last_used_at' | 'revoked_at'>): Promise<ApiKeyRow> {
  const [created] = await db<ApiKeyRow>('api_keys').insert(row).returning('*');
  if (!created) throw new Error('insert returned no row');
  return created;
}

export const listApiKeys = (db: Knex): Promise<ApiKeyRow[]> => db<ApiKeyRow>('api_keys').select('*').orderBy('created_at', 'desc');

export const findApiKeyByHash = (db: Knex, secretHash: string): Promise<ApiKeyRow | undefined> =>
  db<ApiKeyRow>('api_keys').where({ secret_hash: secretHash }).first();

export const findApiKeyById = (db: Knex, id: string): Promise<ApiKeyRow | undefined> => db<ApiKeyRow>('api_keys').where({ id }).first();

/**
 * Revokes a live key; undefined when there is no such key or it was already revoked. Only a live
 * key is updated, so parallel revokes of one key take turns on its row and exactly one wins.
 */
export async function revokeApiKey(db: Knex, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db<ApiKeyRow>('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: db.fn.now() as unknown as Date }).returning('*');
  return row;
}

/** At most one write a minute per key: "last used" does not need per-request precision. */
export async function touchApiKey(db: Knex, id: string): Promise<void> {
  await db('api_keys').where({ id }).andWhere((w) => w.whereNull('last_used_at').orWhere('last_used_at', '<', db.raw("now() - interval '1 minute'"))).update({ last_used_at: db.fn.now() });
}
