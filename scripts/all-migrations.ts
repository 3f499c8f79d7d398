import type { Migration } from '@inkwell/db';
import { AUTH_MIGRATIONS, AUTH_SCHEMA } from '../apps/auth/src/migrations';
import { auditService } from '../apps/audit/src/service';
import { inferenceService } from '../apps/inference/src/service';
import { reportService } from '../apps/report/src/service';
import { trainerService } from '../apps/trainer/src/service';

/** Every service's schema and migrations: the test template database is built from this. */
export const ALL_MIGRATIONS: readonly { schema: string; migrations: readonly Migration[] }[] = [
  { schema: AUTH_SCHEMA, migrations: AUTH_MIGRATIONS },
  ...[auditService, inferenceService, reportService, trainerService].map((s) => ({ schema: s.schema, migrations: s.migrations })),
];
