import type { Redis } from 'ioredis';
import { publishApiKeyInvalidation } from '@inkwell/auth-guard';

/**
 * Announces that a key changed (revoked), so every gateway drops its cached copy at once. Publish
 * happens after the change is committed: a gateway that refills on the message reads the new row.
 */
export class ApiKeyInvalidations {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async announce(keyId: string): Promise<void> {
    await publishApiKeyInvalidation(this.redis, this.prefix, keyId);
  }
}
