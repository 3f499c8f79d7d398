import { z } from 'zod';
import { Role } from './roles';

/**
 * The caller as the gateway established it, forwarded to services as a short-lived signed token
 * in the `X-Inkwell-Identity` header. Services trust nothing else about who is calling.
 */
export const Identity = z.object({
  kind: z.enum(['user', 'api_key', 'guest']),
  /** user id or api key id; null for guests */
  sub: z.string().nullable(),
  role: Role.nullable(),
  email: z.string().nullable().default(null),
  session_id: z.string().nullable().default(null),
  ip: z.string(),
  user_agent: z.string().nullable().default(null),
  /**
   * API keys: the user who created the key, so what a key does belongs to that user (their batch
   * jobs, their rate limits); null for users, guests and the key from the environment.
   */
  owner_id: z.string().nullish(),
});
export type Identity = z.infer<typeof Identity>;

export const IDENTITY_HEADER = 'x-inkwell-identity';
export const REQUEST_ID_HEADER = 'x-request-id';
