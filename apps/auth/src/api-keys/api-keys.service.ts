import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, type ApiKeyVerifyResponse, type CreateApiKeyRequest, type Identity, type Role } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import { auditRecorder } from '@inkwell/outbox';
import type { ApiKeyInvalidations } from './api-key-invalidations';
import { findApiKeyByHash, findApiKeyById, insertApiKey, listApiKeys, revokeApiKey, toApiKey, touchApiKey } from './api-keys.store';

const recordAudit = auditRecorder('auth');

/** Keys look like `ink_<8 hex>_<43 base64url>`: the prefix makes a leaked key recognisable in logs and scanners. */
const KEY_FORMAT = /^ink_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;
const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

export class ApiKeysService {
  private readonly envKeyHash: Buffer | null;

  constructor(
    private readonly db: Db,
    envKey: string | undefined,
    private readonly envKeyRole: Role,
    private readonly onWrite: () => void,
    /** Tells gateways to drop a key they cache, so a revoked key stops at once everywhere. */
    private readonly invalidations: ApiKeyInvalidations,
  ) {
    this.envKeyHash = envKey ? sha256(envKey) : null;
  }

  get envKeyConfigured(): boolean {
    return this.envKeyHash !== null;
  }

  async create(actor: Identity, input: CreateApiKeyRequest) {
    const prefix = randomBytes(4).toString('hex');
    const secret = `ink_${prefix}_${randomBytes(32).toString('base64url')}`;
    const row = await this.db.transaction(async (trx) => {
      const created = await insertApiKey(trx, {
        name: input.name,
        prefix: `ink_${prefix}`,
        secret_hash: sha256(secret).toString('hex'),
        role: input.role,
        rate_limit_per_min: input.rate_limit_per_min ?? null,
        created_by: actor.kind === 'user' ? actor.sub : null,
        expires_at: input.expires_at ? new Date(input.expires_at) : null,
      });
      await recordAudit(trx, { action: 'api_key.create', actor, target: { type: 'api_key', id: created.id }, details: { name: created.name, role: created.role, prefix: created.prefix } });
      return created;
    });
    this.onWrite();
    return { api_key: toApiKey(row), secret };
  }

  async list() {
    return { items: (await listApiKeys(this.db)).map(toApiKey) };
  }

  /** Idempotent: revoking a revoked key changes nothing (its revocation time and audit event stay the first). */
  async revoke(actor: Identity, id: string): Promise<void> {
    const revoked = await this.db.transaction(async (trx) => {
      const row = await revokeApiKey(trx, id);
      if (!row) {
        if (await findApiKeyById(trx, id)) return false;
        throw new AppError('not_found', 'No such API key');
      }
      await recordAudit(trx, { action: 'api_key.revoke', actor, target: { type: 'api_key', id } });
      return true;
    });
    if (revoked) this.onWrite();
    // Also when this call found the key already revoked: an earlier announcement may have been lost.
    await this.invalidations.announce(id);
  }

  /**
   * Who a presented key is, and until when (gateways cache the answer, never past `expires_at`),
   * or `unauthorized`. The env key is compared in constant time.
   */
  async verify(key: string): Promise<ApiKeyVerifyResponse> {
    const hash = sha256(key);
    if (this.envKeyHash && timingSafeEqual(hash, this.envKeyHash)) return { key_id: 'env', role: this.envKeyRole, rate_limit_per_min: null, owner_id: null, expires_at: null };
    if (!KEY_FORMAT.test(key)) throw new AppError('unauthorized', 'Invalid API key');
    const row = await findApiKeyByHash(this.db, hash.toString('hex'));
    if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= Date.now())) throw new AppError('unauthorized', 'Invalid API key');
    // Gateways ask only when they do not hold the key (at most every 30 s each), and the write
    // itself happens at most once a minute: "last used" is that precise.
    await touchApiKey(this.db, row.id);
    return { key_id: row.id, role: row.role, rate_limit_per_min: row.rate_limit_per_min, owner_id: row.created_by ?? null, expires_at: row.expires_at?.toISOString() ?? null };
  }
}
