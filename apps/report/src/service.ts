import { ReportEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';

/** The report service. Its features (and migrations for schema `report`) arrive with their issues. */
export const reportService = defineService({
  name: 'report',
  env: ReportEnv,
  port: (c) => c.REPORT_PORT,
  schema: 'report',
  migrations: [],
  // Nothing to construct yet: /healthz, /readyz (PostgreSQL, Redis) and /metrics come with every service.
  build: () => ({}),
});
