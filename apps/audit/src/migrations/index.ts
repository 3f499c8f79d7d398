import type { Migration } from '@inkwell/db';
import { createAuditEvents } from './20261210100000_create-audit-events';
import { auditStatsRollups } from './20261210200000_audit-stats-rollups';
import { createAuditSearchIndexes } from './20261210210000_audit-search-indexes';

export const AUDIT_SCHEMA = 'audit';
/** Append-only: never edit one that has landed. */
export const AUDIT_MIGRATIONS: readonly Migration[] = [createAuditEvents, auditStatsRollups, createAuditSearchIndexes];
