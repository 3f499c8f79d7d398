import { AuditEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';

/** The audit service. Its features (and migrations for schema `audit`) arrive with their issues. */
export const auditService = defineService({
  name: 'audit',
  env: AuditEnv,
  port: (c) => c.AUDIT_PORT,
  schema: 'audit',
  migrations: [],
  // Nothing to construct yet: /healthz, /readyz (PostgreSQL, Redis) and /metrics come with every service.
  build: () => ({}),
});
