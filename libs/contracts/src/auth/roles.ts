import { z } from 'zod';

/** viewer < engineer < admin. Guests are unauthenticated and hold no role. */
export const Role = z.enum(['viewer', 'engineer', 'admin']);
export type Role = z.infer<typeof Role>;

const RANK: Record<Role, number> = { viewer: 1, engineer: 2, admin: 3 };

/** Who may call a route: `public` needs nothing (login, docs); `guest` admits anyone but still
 * rate-limits and identifies; a role admits that role and every role above it. */
export const AccessLevel = z.enum(['public', 'guest', 'viewer', 'engineer', 'admin']);
export type AccessLevel = z.infer<typeof AccessLevel>;

export const roleAtLeast = (role: Role | null, required: Role): boolean => role !== null && RANK[role] >= RANK[required];
