import type { Migration } from '@inkwell/db';
import { createAuthSchema } from './20261122100000_create-auth-schema';
import { temporaryPasswordExpiry } from './20261206100000_temporary-password-expiry';
import { outboxRetrySchedule } from './20261207100000_outbox-retry-schedule';

export const AUTH_SCHEMA = 'auth';
/** Append-only: never edit one that has landed. */
export const AUTH_MIGRATIONS: readonly Migration[] = [createAuthSchema, temporaryPasswordExpiry, outboxRetrySchedule];
