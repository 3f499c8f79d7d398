import { ReportEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';
import { buildReport, type ReportBuildOptions } from './app';
import { REPORT_MIGRATIONS, REPORT_SCHEMA } from './migrations';

/**
 * The report service: renders reports of model comparisons (and benchmarks) as `report` queue
 * jobs, deterministically, in a technical and a simple view, as PDF, HTML, JSON and CSV.
 */
export function reportServiceWith(opts: ReportBuildOptions = {}) {
  return defineService({
    name: 'report',
    env: ReportEnv,
    port: (c) => c.REPORT_PORT,
    schema: REPORT_SCHEMA,
    migrations: REPORT_MIGRATIONS,
    build: (ctx) => buildReport(ctx, opts),
  });
}

export const reportService = reportServiceWith();
