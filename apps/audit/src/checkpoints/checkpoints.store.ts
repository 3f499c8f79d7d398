import type { Knex } from 'knex';
import type { CheckpointClaim, CheckpointSigner } from './checkpoint-signature';

export interface Checkpoint extends CheckpointClaim {
  readonly signature: string;
}

interface CheckpointRecord {
  seq: number;
  hash: string;
  recorded_at: Date;
  created_at: Date;
  signature: string;
}

const toCheckpoint = (r: CheckpointRecord): Checkpoint => ({ seq: r.seq, hash: r.hash, recorded_at: r.recorded_at.toISOString(), created_at: r.created_at.toISOString(), signature: r.signature });

/** Signed checkpoints of the hash chain (all SQL on `audit.checkpoints`). */
export class CheckpointsStore {
  constructor(private readonly signer: CheckpointSigner) {}

  /**
   * Signs and stores a checkpoint (once per seq) and records it as the chain's latest. Called
   * within the writer's transaction, which holds the chain lock, so the hash is the one it wrote.
   */
  async write(trx: Knex, claim: Omit<CheckpointClaim, 'created_at'>, now: Date): Promise<void> {
    const full: CheckpointClaim = { ...claim, created_at: now.toISOString() };
    await trx('checkpoints')
      .insert({ seq: full.seq, hash: full.hash, recorded_at: full.recorded_at, created_at: full.created_at, signature: this.signer.sign(full) })
      .onConflict('seq')
      .ignore();
    await trx('chain_head').update({ last_checkpoint_seq: trx.raw('greatest(last_checkpoint_seq, ?)', [full.seq]) });
  }

  /** The newest checkpoint with min <= seq <= max. */
  async latestBetween(db: Knex, min: number, max: number): Promise<Checkpoint | null> {
    const row = await db<CheckpointRecord>('checkpoints').whereBetween('seq', [min, max]).orderBy('seq', 'desc').first();
    return row ? toCheckpoint(row) : null;
  }

  async between(db: Knex, min: number, max: number): Promise<Checkpoint[]> {
    const rows = await db<CheckpointRecord>('checkpoints').whereBetween('seq', [min, max]).orderBy('seq');
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
