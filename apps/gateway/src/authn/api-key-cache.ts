import type { Role } from '@inkwell/contracts';

/** Who an API key is, as auth answered, with when it stops being valid on its own. */
export interface VerifiedApiKey {
  readonly key_id: string;
  readonly role: Role;
  readonly rate_limit_per_min: number | null;
  /** The user who created the key (null: the key from the environment). */
  readonly ownerId: string | null;
  /** Epoch ms of the key's own expiry; null when it has none. */
  readonly expiresAt: number | null;
}

/**
 * SHA-256 of a presented key -> who auth said it is, for a bounded time. Only good answers are
 * held (a bad key is never cached, so guessing cannot fill memory), and the size is bounded with
 * least-recently-used eviction.
 *
 * Every invalidation or clear bumps a generation; a fill that started before it is not stored,
 * so an answer auth gave before a revocation cannot land in the cache after the revocation
 * message has been handled.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { key: VerifiedApiKey; until: number }>();
  private generation = 0;
  private live = false;

  constructor(private readonly ttlMs: number, private readonly maxEntries = 10_000) {}

  /** Read before asking auth; pass to `set` with the answer. */
  get epoch(): number {
    return this.generation;
  }

  get size(): number {
    return this.entries.size;
  }

  get(hash: string, now = Date.now()): VerifiedApiKey | undefined {
    if (!this.live) return undefined;
    const e = this.entries.get(hash);
    if (!e) return undefined;
    this.entries.delete(hash);
    if (e.until <= now) return undefined;
    this.entries.set(hash, e); // most recently used last: eviction takes the first
    return e.key;
  }

  set(hash: string, key: VerifiedApiKey, epoch: number, now = Date.now()): void {
    if (!this.live || epoch !== this.generation) return;
    const until = Math.min(now + this.ttlMs, key.expiresAt ?? Number.POSITIVE_INFINITY);
    if (until <= now) return;
    this.entries.delete(hash);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(hash, { key, until });
  }

  /** Drops every entry of one key (a key id can have several presented forms only in theory). */
  invalidate(keyId: string): void {
    this.generation++;
    for (const [hash, e] of this.entries) if (e.key.key_id === keyId) this.entries.delete(hash);
  }

  /**
   * Stops answering and holding until `resume`: while the invalidation channel is not subscribed,
   * a revocation could be missed, so every request asks auth.
   */
  suspend(): void {
    this.generation++;
    this.live = false;
    this.entries.clear();
  }

  resume(): void {
    this.generation++;
    this.entries.clear();
    this.live = true;
  }
}
