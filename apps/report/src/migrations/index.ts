import type { Migration } from '@inkwell/db';
import { createReports } from './20261220100000_create-reports';

export const REPORT_SCHEMA = 'report';
/** Append-only: never edit one that has landed. */
export const REPORT_MIGRATIONS: readonly Migration[] = [createReports];
