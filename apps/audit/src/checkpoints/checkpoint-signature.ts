import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What a checkpoint vouches for: the event at `seq` (stored at `recorded_at`) had hash `hash`; the
 * checkpoint before it is at `prev_seq` (0: none, the chain's start); the writer put at most
 * `max_gap` events between checkpoints; `floor`: retention wrote it at the last event it dropped,
 * so the kept log starts at `seq + 1`.
 */
export interface CheckpointClaim {
  readonly seq: number;
  readonly hash: string;
  readonly recorded_at: string;
  readonly created_at: string;
  readonly prev_seq: number;
  readonly max_gap: number;
  readonly floor: boolean;
}

const VERSION = 'inkwell-audit-checkpoint-v2';

/**
 * HMAC-SHA256 over a checkpoint's claim with a key only the audit service holds: someone who can
 * write to PostgreSQL can recompute every event hash after a rewrite, but cannot sign a
 * checkpoint over it (CloudTrail's signed digests play this part), nor forge the links that make
 * deleting checkpoints visible.
 */
export class CheckpointSigner {
  constructor(private readonly secret: string) {}

  sign(claim: CheckpointClaim): string {
    const message = JSON.stringify([VERSION, String(claim.seq), claim.hash, claim.recorded_at, claim.created_at, String(claim.prev_seq), String(claim.max_gap), claim.floor]);
    return createHmac('sha256', this.secret).update(message).digest('hex');
  }

  verify(claim: CheckpointClaim, signature: string): boolean {
    const expected = Buffer.from(this.sign(claim), 'hex');
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
