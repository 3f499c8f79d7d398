import { z } from 'zod';

/** One thing someone did. Produced by every service, stored by the audit service. */
export const AuditEvent = z.object({
  id: z.uuid(),
  at: z.iso.datetime({ offset: true }),
  service: z.string(),
  action: z.string().regex(/^[a-z_]+\.[a-z_.]+$/),
  outcome: z.enum(['success', 'failure']),
  actor: z.object({
    kind: z.enum(['user', 'api_key', 'guest', 'system']),
    id: z.string().nullable(),
    email: z.string().nullable(),
    role: z.string().nullable(),
  }),
  target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  request_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).default({}),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
