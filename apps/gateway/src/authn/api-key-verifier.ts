import { createHash } from 'node:crypto';
import { AppError, ApiKeyVerifyRequest, ApiKeyVerifyResponse, IDENTITY_HEADER } from '@inkwell/contracts';
import { signIdentity } from '@inkwell/auth-guard';
import type { ApiKeyCache, VerifiedApiKey } from './api-key-cache';

const MAX_KEY_LENGTH = ApiKeyVerifyRequest.shape.key.maxLength ?? 512;

export const apiKeyHash = (key: string): string => createHash('sha256').update(key).digest('hex');

export interface ApiKeyVerifierDeps {
  readonly authUrl: string;
  readonly internalSecret: string;
  readonly timeoutMs?: number;
}

/**
 * Resolves X-API-Key at the gateway: from `cache` when it holds the key, else by asking auth
 * (POST /internal/api-keys/verify), once per key however many requests wait on the answer.
 */
export class ApiKeyVerifier {
  private readonly inflight = new Map<string, Promise<VerifiedApiKey>>();

  constructor(private readonly deps: ApiKeyVerifierDeps, readonly cache: ApiKeyCache) {}

  /** The key's identity if the cache holds it: no I/O. */
  cached(key: string): VerifiedApiKey | undefined {
    return key.length > MAX_KEY_LENGTH ? undefined : this.cache.get(apiKeyHash(key));
  }

  /** Asks auth; `unauthorized` for a key it does not know, `service_unavailable` when it cannot answer. */
  verify(key: string, ip: string): Promise<VerifiedApiKey> {
    if (key.length > MAX_KEY_LENGTH) return Promise.reject(new AppError('unauthorized', 'Invalid API key'));
    const hash = apiKeyHash(key);
    let pending = this.inflight.get(hash);
    if (!pending) {
      const epoch = this.cache.epoch;
      pending = this.ask(key, ip)
        .then((verified) => {
          this.cache.set(hash, verified, epoch);
          return verified;
        })
        .finally(() => this.inflight.delete(hash));
      this.inflight.set(hash, pending);
    }
    return pending;
  }

  private async ask(key: string, ip: string): Promise<VerifiedApiKey> {
    const identity = signIdentity({ kind: 'guest', sub: null, role: null, email: null, session_id: null, ip, user_agent: 'inkwell-gateway' }, this.deps.internalSecret);
    let res: Response;
    try {
      res = await fetch(`${this.deps.authUrl}/internal/api-keys/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
        body: JSON.stringify({ key }),
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 3000),
      });
    } catch {
      throw new AppError('service_unavailable', 'auth is unavailable');
    }
    if (res.status === 401 || res.status === 400) throw new AppError('unauthorized', 'Invalid API key');
    if (!res.ok) throw new AppError('service_unavailable', 'auth could not verify the API key');
    const answer = ApiKeyVerifyResponse.safeParse(await res.json().catch(() => null));
    if (!answer.success) throw new AppError('service_unavailable', 'auth answered the API-key check unreadably');
    const { key_id, role, rate_limit_per_min, owner_id, expires_at } = answer.data;
    return { key_id, role, rate_limit_per_min, ownerId: owner_id ?? null, expiresAt: expires_at ? Date.parse(expires_at) : null };
  }
}
