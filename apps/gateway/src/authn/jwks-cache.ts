import { createPublicKey, type KeyObject } from 'node:crypto';
import { AppError, Jwks } from '@inkwell/contracts';

/**
 * auth's public keys, fetched from its JWKS endpoint and cached. An unknown `kid` (key rotation)
 * triggers a refetch, at most once every few seconds so a flood of forged kids cannot hammer auth.
 * While auth cannot be reached, keys already held keep working (they rotate, they are not
 * revoked); a token signed by a key not held gets 503, as no verdict on it is possible.
 */
export class JwksCache {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private attemptedAt = 0;
  private lastFailed = false;
  private inflight: Promise<void> | undefined;

  constructor(private readonly url: string, private readonly ttlMs: number, private readonly minRefetchMs = 5000) {}

  private async refresh(): Promise<void> {
    this.inflight ??= (async () => {
      this.attemptedAt = Date.now();
      try {
        const res = await fetch(this.url, { signal: AbortSignal.timeout(3000) });
        if (!res.ok) throw new Error(`JWKS fetch answered ${res.status}`);
        const { keys } = Jwks.parse(await res.json());
        const next = new Map<string, KeyObject>();
        for (const jwk of keys) {
          if (typeof jwk.kid !== 'string' || jwk.kty !== 'RSA') continue;
          next.set(jwk.kid, createPublicKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' }));
        }
        this.keys = next;
        this.fetchedAt = Date.now();
        this.lastFailed = false;
      } catch (err) {
        this.lastFailed = true;
        throw err;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  async get(kid: string): Promise<KeyObject | undefined> {
    const now = Date.now();
    const age = now - this.fetchedAt;
    const due = age >= this.ttlMs || (!this.keys.has(kid) && age >= this.minRefetchMs);
    // Join a fetch in flight; otherwise, after a failed fetch, wait as long as for a refetch (no
    // 3-second stall on every request while auth is down). A key already held is answered at
    // once and the refresh runs behind it.
    if (due && (this.inflight !== undefined || now - this.attemptedAt >= this.minRefetchMs)) {
      const refreshed = this.refresh().catch(() => undefined); // recorded in lastFailed
      if (!this.keys.has(kid)) await refreshed;
    }
    const key = this.keys.get(kid);
    if (!key && this.lastFailed) throw new AppError('service_unavailable', 'auth is unavailable: cannot fetch its signing keys');
    return key;
  }
}
