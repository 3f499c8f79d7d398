import type { Knex } from 'knex';
import { z } from 'zod';

/** A `families` row: `available` while some trainer's code has the family, else `unavailable`. */
export const FamilyRow = z.object({
  name: z.string(),
  status: z.enum(['available', 'unavailable']),
  registered_at: z.date(),
  registered_by: z.string().nullable(),
  updated_at: z.date(),
});
export type FamilyRow = z.infer<typeof FamilyRow>;

/** All SQL of `ml.families`. */
export class FamiliesStore {
  constructor(private readonly db: Knex) {}

  async list(trx: Knex = this.db): Promise<FamilyRow[]> {
    const rows: unknown[] = await trx('families').orderBy('name');
    return rows.map((r) => FamilyRow.parse(r));
  }

  async get(name: string): Promise<FamilyRow | null> {
    const row: unknown = await this.db('families').where({ name }).first();
    return row ? FamilyRow.parse(row) : null;
  }

  /**
   * Rows of families in `inCode` become `available`, every other row `unavailable`, in one
   * transaction; returns the rows as they then are. Rows only change when their status does, so a
   * restart with the same code touches nothing.
   */
  async reconcile(inCode: readonly string[]): Promise<FamilyRow[]> {
    return this.db.transaction(async (trx) => {
      await trx('families').whereIn('name', inCode).whereNot({ status: 'available' }).update({ status: 'available', updated_at: trx.fn.now() });
      await trx('families').whereNotIn('name', inCode).whereNot({ status: 'unavailable' }).update({ status: 'unavailable', updated_at: trx.fn.now() });
      return this.list(trx);
    });
  }

  /** Registers a family (or makes it available again), recording who did. */
  async register(trx: Knex, name: string, by: string | null): Promise<FamilyRow> {
    const [row] = (await trx('families')
      .insert({ name, status: 'available', registered_by: by })
      .onConflict('name')
      .merge({ status: 'available', registered_by: by, updated_at: trx.fn.now() })
      .returning('*')) as unknown[];
    return FamilyRow.parse(row);
  }
}
