import { z } from 'zod';
import { storableText } from '../http/storable-text';
import { Role } from './roles';

export const User = z.object({
  id: z.uuid(),
  email: z.email(),
  name: z.string(),
  role: Role,
  active: z.boolean(),
  must_change_password: z.boolean(),
  created_at: z.iso.datetime({ offset: true }),
  updated_at: z.iso.datetime({ offset: true }),
  last_login_at: z.iso.datetime({ offset: true }).nullable(),
});
export type User = z.infer<typeof User>;

export const LoginRequest = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Web clients also get both tokens as httpOnly cookies; API clients use the body. */
export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  refresh_token: z.string(),
  refresh_expires_in: z.number().int(),
  user: User,
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** Body is optional: browsers send the refresh token as a cookie. */
export const RefreshRequest = z.object({ refresh_token: z.string().min(1).max(512).optional() });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const ChangePasswordRequest = z.object({
  current_password: z.string().min(1).max(1024),
  new_password: z.string().min(12).max(1024),
});

export const UserListQuery = z.object({
  role: Role.optional(),
  status: z.enum(['active', 'inactive']).optional(),
  q: storableText(z.string().max(200)).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});
export type UserListQuery = z.infer<typeof UserListQuery>;

export const UserList = z.object({
  items: z.array(User),
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
});

export const CreateUserRequest = z.object({
  email: z.email().max(254),
  name: storableText(z.string().trim().min(1).max(200)),
  role: Role,
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** The temporary password is shown exactly once, here. */
export const CreateUserResponse = z.object({ user: User, temporary_password: z.string() });

/** `role` and `active` are ignored when an admin edits their own account (no self-demotion or lock-out). */
export const UpdateUserRequest = z
  .object({
    email: z.email().max(254).optional(),
    name: storableText(z.string().trim().min(1).max(200)).optional(),
    role: Role.optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const UserIdParams = z.object({ id: z.uuid() });

export const ApiKey = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  role: Role,
  rate_limit_per_min: z.number().int().nullable(),
  created_at: z.iso.datetime({ offset: true }),
  expires_at: z.iso.datetime({ offset: true }).nullable(),
  last_used_at: z.iso.datetime({ offset: true }).nullable(),
  revoked_at: z.iso.datetime({ offset: true }).nullable(),
  created_by: z.uuid().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const CreateApiKeyRequest = z.object({
  name: storableText(z.string().trim().min(1).max(200)),
  role: Role.default('viewer'),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  rate_limit_per_min: z.number().int().min(1).max(1_000_000).optional(),
});
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

/** The secret is shown exactly once, here; only its hash is stored. */
export const CreateApiKeyResponse = z.object({ api_key: ApiKey, secret: z.string() });
export const ApiKeyList = z.object({ items: z.array(ApiKey) });
export const ApiKeyIdParams = z.object({ id: z.uuid() });

export const ApiConfig = z.object({
  endpoint: z.string(),
  env_api_key_configured: z.boolean(),
  rate_limits: z.object({ guest_per_min: z.number().int(), authenticated_per_min: z.number().int() }),
  examples: z.array(z.object({ title: z.string(), curl: z.string() })),
});

/** Gateway -> auth: resolve an X-API-Key to who it is. Internal, never routed publicly. */
export const ApiKeyVerifyRequest = z.object({ key: z.string().min(1).max(512) });
export const ApiKeyVerifyResponse = z.object({
  key_id: z.string(),
  role: Role,
  rate_limit_per_min: z.number().int().nullable(),
  /** The user who created the key (null for the key from the environment); optional for an auth of an earlier release. */
  owner_id: z.string().nullish(),
  /** So a gateway never answers from its cache past the key's own expiry. Optional: an auth of an
   * earlier release (a rolling deploy) does not send it, and its keys are then cached as never expiring. */
  expires_at: z.iso.datetime({ offset: true }).nullish(),
});
export type ApiKeyVerifyResponse = z.infer<typeof ApiKeyVerifyResponse>;

export const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
