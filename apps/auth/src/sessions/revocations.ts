import type { Redis } from 'ioredis';
import { revocationKeys } from '@inkwell/auth-guard';

/** Entries live as long as a token could (the access-token TTL). */
export class Revocations {
  private readonly keys;
  constructor(private readonly redis: Redis, prefix: string, private readonly accessTtlSeconds: number) {
    this.keys = revocationKeys(prefix);
  }
  async revokeSessions(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const multi = this.redis.multi();
    for (const sid of sessionIds) multi.set(this.keys.session(sid), '1', 'EX', this.accessTtlSeconds + 5);
    await multi.exec();
  }
  async markUserInactive(userId: string): Promise<void> {
    await this.redis.set(this.keys.user(userId), '1', 'EX', this.accessTtlSeconds + 5);
  }
  async markUserActive(userId: string): Promise<void> {
    await this.redis.del(this.keys.user(userId));
  }
}
