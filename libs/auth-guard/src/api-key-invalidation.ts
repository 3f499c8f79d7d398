import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * Gateways answer X-API-Key from a short cache; auth publishes here when a key stops being what a
 * cache holds (revoked, and any later change of role or limit), so every gateway replica drops it
 * within a round trip instead of at the end of its TTL. Pub/sub is fire-and-forget: a gateway
 * that was disconnected clears its whole cache when it resubscribes, and the TTL bounds the rest.
 */
export const apiKeyInvalidationChannel = (prefix: string): string => `${prefix}:auth:api-key-invalidated`;

export const ApiKeyInvalidation = z.object({ key_id: z.string().min(1).max(200) });
export type ApiKeyInvalidation = z.infer<typeof ApiKeyInvalidation>;

export async function publishApiKeyInvalidation(redis: Redis, prefix: string, keyId: string): Promise<void> {
  await redis.publish(apiKeyInvalidationChannel(prefix), JSON.stringify({ key_id: keyId } satisfies ApiKeyInvalidation));
}
