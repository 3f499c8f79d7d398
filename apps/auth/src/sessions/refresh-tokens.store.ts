import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export interface RefreshTokenRow {
  id: string;
  family_id: string;
  user_id: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** Refresh tokens are 256-bit random strings; only their SHA-256 is stored (they are not guessable, so no slow hash is needed). */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newRefreshToken = (): string => `rt_${randomBytes(32).toString('base64url')}`;

export async function insertRefreshToken(db: Knex, row: { family_id: string; user_id: string; token_hash: string; expires_at: Date; ip: string | null; user_agent: string | null }): Promise<void> {
  await db('refresh_tokens').insert(row);
}

export const findRefreshToken = (db: Knex, tokenHash: string): Promise<RefreshTokenRow | undefined> =>
  db<RefreshTokenRow>('refresh_tokens').where({ token_hash: tokenHash }).first();

/** Marks a token used exactly once; false when another request used it first (a replay). */
export async function consumeRefreshToken(db: Knex, id: string): Promise<boolean> {
  const n = await db('refresh_tokens').where({ id }).whereNull('used_at').whereNull('revoked_at').update({ used_at: db.fn.now() });
  return n === 1;
}

/** True when any token of the family is revoked: the whole sign-in has ended. */
export async function familyRevoked(db: Knex, familyId: string): Promise<boolean> {
  return (await db('refresh_tokens').where({ family_id: familyId }).whereNotNull('revoked_at').first('id')) !== undefined;
}

/** The user a family belongs to; undefined when no token of it exists. */
export async function familyOwner(db: Knex, familyId: string): Promise<string | undefined> {
  const row = await db<RefreshTokenRow>('refresh_tokens').where({ family_id: familyId }).first('user_id');
  return row?.user_id;
}

export async function revokeFamily(db: Knex, familyId: string): Promise<void> {
  await db('refresh_tokens').where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
}

/** Revokes every live sign-in of a user but `keepFamily`; returns their family ids (the access tokens' `sid`). */
export async function revokeUserFamilies(db: Knex, userId: string, keepFamily: string | null = null): Promise<string[]> {
  const live = () =>
    db('refresh_tokens')
      .where({ user_id: userId })
      .whereNull('revoked_at')
      .modify((q) => {
        if (keepFamily) q.whereNot({ family_id: keepFamily });
      });
  const rows = await live().where('expires_at', '>', db.fn.now()).distinct<{ family_id: string }[]>('family_id');
  await live().update({ revoked_at: db.fn.now() });
  return rows.map((r) => r.family_id);
}
