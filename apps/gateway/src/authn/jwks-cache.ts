import { createPublicKey, type KeyObject } from 'node:crypto';
import { Jwks } from '@inkwell/contracts';

/**
 * auth's public keys, fetched from its JWKS endpoint and cached. An unknown `kid` (key rotation)
 * triggers a refetch, at most once every few seconds so a flood of forged kids cannot hammer auth.
 */
export class JwksCache {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private inflight: Promise<void> | undefined;

  constructor(private readonly url: string, private readonly ttlMs: number, private readonly minRefetchMs = 5000) {}

  private async refresh(): Promise<void> {
    this.inflight ??= (async () => {
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
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  async get(kid: string): Promise<KeyObject | undefined> {
    const age = Date.now() - this.fetchedAt;
    if (age > this.ttlMs || (!this.keys.has(kid) && age > this.minRefetchMs)) await this.refresh();
    return this.keys.get(kid);
  }
}
