import { AuditEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';
import { buildAudit, type AuditBuildOptions } from './app';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA } from './migrations';

/**
 * The audit service: stores the `audit` queue's events in a hash chain (signed checkpoints,
 * monthly partitions, retention) and verifies it. A function of its options so a test can move
 * its clock.
 */
export function auditServiceWith(opts: AuditBuildOptions = {}) {
  return defineService({
    name: 'audit',
    env: AuditEnv,
    port: (c) => c.AUDIT_PORT,
    schema: AUDIT_SCHEMA,
    migrations: AUDIT_MIGRATIONS,
    build: (ctx) => buildAudit(ctx, opts),
  });
}

export const auditService = auditServiceWith();
