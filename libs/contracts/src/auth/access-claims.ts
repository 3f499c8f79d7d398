import { z } from 'zod';
import { Role } from './roles';

/**
 * The claims of auth's RS256 access token that the gateway relies on. `exp` is required: a token
 * that never expires is refused. `pwc` (password change required) marks a sign-in made with a
 * temporary password: such a session may only use the routes flagged `allowDuringPasswordChange`.
 */
export const AccessTokenClaims = z.object({
  sub: z.string(),
  role: Role,
  email: z.string(),
  sid: z.string(),
  exp: z.number(),
  pwc: z.boolean().optional(),
});
export type AccessTokenClaims = z.infer<typeof AccessTokenClaims>;
