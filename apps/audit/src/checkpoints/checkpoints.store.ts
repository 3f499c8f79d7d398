import type { Knex } from 'knex';
import { z } from 'zod';
import type { CheckpointClaim, CheckpointSigner } from './checkpoint-signature';

export interface Checkpoint extends CheckpointClaim {
  readonly signature: string;
}

/** A row of `audit.checkpoints` as pg hands it over (bigint as number, timestamptz as Date). */
const CheckpointRow = z.object({
  seq: z.number().int(),
  hash: z.string(),
  recorded_at: z.date(),
  created_at: z.date(),
  prev_seq: z.number().int(),
  max_gap: z.number().int(),
  floor: z.boolean(),
  signature: z.string(),
});

const toCheckpoint = (raw: unknown): Checkpoint => {
  const r = CheckpointRow.parse(raw);
  return { ...r, recorded_at: r.recorded_at.toISOString(), created_at: r.created_at.toISOString() };
};

type NewClaim = Pick<CheckpointClaim, 'seq' | 'hash' | 'recorded_at'>;

/** Signed checkpoints of the hash chain (all SQL on `audit.checkpoints`). */
export class CheckpointsStore {
  constructor(
    private readonly signer: CheckpointSigner,
    /** AUDIT_CHECKPOINT_EVERY: the most events the writer leaves between two checkpoints, signed into each. */
    private readonly maxGap: number,
  ) {}

  /**
   * Signs and stores a checkpoint (once per seq), linked to the chain's latest one, and records it
   * as the latest. Called within a transaction that holds the chain lock, so the hash is the one
   * the writer wrote and the link is to the checkpoint written just before.
   */
  async write(trx: Knex, claim: NewClaim, now: Date): Promise<void> {
    const head = await trx('chain_head').select('last_checkpoint_seq').first<{ last_checkpoint_seq: number } | undefined>();
    const full: CheckpointClaim = { ...claim, created_at: now.toISOString(), prev_seq: head?.last_checkpoint_seq ?? 0, max_gap: this.maxGap, floor: false };
    await trx('checkpoints').insert({ ...full, signature: this.signer.sign(full) }).onConflict('seq').ignore();
    await trx('chain_head').update({ last_checkpoint_seq: trx.raw('greatest(last_checkpoint_seq, ?)', [full.seq]) });
  }

  /**
   * Retention's checkpoint at the last event it drops, signed as the floor: verify accepts
   * `chain_head.floor_seq = seq + 1` only with it. Replaces an ordinary checkpoint at that seq
   * (same hash; its link points into what is dropped, where nothing follows it now).
   */
  async writeFloor(trx: Knex.Transaction, claim: NewClaim, now: Date): Promise<void> {
    const before = await trx('checkpoints').where('seq', '<', claim.seq).max<{ seq: number | null }>('seq as seq').first();
    const full: CheckpointClaim = { ...claim, created_at: now.toISOString(), prev_seq: before?.seq ?? 0, max_gap: this.maxGap, floor: true };
    await trx('checkpoints').insert({ ...full, signature: this.signer.sign(full) }).onConflict('seq').merge();
    await trx('chain_head').update({ last_checkpoint_seq: trx.raw('greatest(last_checkpoint_seq, ?)', [full.seq]) });
  }

  async at(db: Knex, seq: number): Promise<Checkpoint | null> {
    const row: unknown = await db('checkpoints').where({ seq }).first();
    return row ? toCheckpoint(row) : null;
  }

  /** The newest checkpoint with min <= seq <= max. */
  async latestBetween(db: Knex, min: number, max: number): Promise<Checkpoint | null> {
    const row: unknown = await db('checkpoints').whereBetween('seq', [min, max]).orderBy('seq', 'desc').first();
    return row ? toCheckpoint(row) : null;
  }

  async between(db: Knex, min: number, max: number): Promise<Checkpoint[]> {
    const rows: unknown[] = await db('checkpoints').whereBetween('seq', [min, max]).orderBy('seq');
    return rows.map(toCheckpoint);
  }

  /** Every checkpoint from `min` on, oldest first (about one per AUDIT_CHECKPOINT_EVERY kept events). */
  async from(db: Knex, min: number): Promise<Checkpoint[]> {
    const rows: unknown[] = await db('checkpoints').where('seq', '>=', min).orderBy('seq');
    return rows.map(toCheckpoint);
  }

  isGenuine(c: Checkpoint): boolean {
    return this.signer.verify(c, c.signature);
  }

  /** Checkpoints before `seq` point into pruned events; verify never starts from them. */
  async deleteBelow(trx: Knex, seq: number): Promise<void> {
    await trx('checkpoints').where('seq', '<', seq).delete();
  }
}
