import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a checkpoint vouches for: the event at `seq` (stored at `recorded_at`) had hash `hash`. */
export interface CheckpointClaim {
  readonly seq: number;
  readonly hash: string;
  readonly recorded_at: string;
  readonly created_at: string;
}

const VERSION = 'inkwell-audit-checkpoint-v1';

/**
 * HMAC-SHA256 over a checkpoint's claim with a key only the audit service holds: someone who can
 * write to PostgreSQL can recompute every event hash after a rewrite, but cannot sign a
 * checkpoint over it (CloudTrail's signed digests play this part).
 */
export class CheckpointSigner {
  constructor(private readonly secret: string) {}

  sign(claim: CheckpointClaim): string {
    const message = JSON.stringify([VERSION, String(claim.seq), claim.hash, claim.recorded_at, claim.created_at]);
    return createHmac('sha256', this.secret).update(message).digest('hex');
  }

  verify(claim: CheckpointClaim, signature: string): boolean {
    const expected = Buffer.from(this.sign(claim), 'hex');
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
