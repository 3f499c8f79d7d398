import { z } from 'zod';
import { CreateReportRequest, ReportFileQuery, ReportIdParams, ReportList, ReportListQuery, ReportSummary } from '../reports/reports-http';
import { ErrorBody } from './errors';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType, contentType?: string) => ({ description, ...(schema ? { schema } : {}), ...(contentType ? { contentType } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });

/** The report service: engineers start reports; everyone signed in reads them. */
export const REPORT_ROUTES = defineRoutes([
  {
    method: 'post', path: '/api/reports', service: 'report', access: 'engineer', tag: 'reports',
    summary: 'Render a report as a `report` queue job: `{ kind: "comparison", a, b }` (two registered versions, B against A, from the registry\'s compare) or `{ kind: "benchmark", benchmark_id }`. The id is derived from the subject, so asking again answers the same report (a failed one is rendered again). Every file is deterministic: the same inputs give byte-identical files whatever the machine\'s time zone or locale',
    body: CreateReportRequest,
    responses: { 202: ok('Accepted: the report, `queued` until rendered', ReportSummary), 400: err('validation_failed') },
  },
  {
    method: 'get', path: '/api/reports', service: 'report', access: 'viewer', tag: 'reports',
    summary: 'Reports, most recently requested first (`kind` filters, `limit` up to 100); `id` answers one report (its status while it renders), `subject` the report on exactly those subjects (`a,b` for a comparison, a benchmark id), so a page can follow one report however many there are',
    query: ReportListQuery,
    responses: { 200: ok('The reports', ReportList), 400: err('validation_failed') },
  },
  {
    method: 'get', path: '/api/reports/{id}', service: 'report', access: 'viewer', tag: 'reports',
    summary: 'A rendered report file: `view` technical (metadata, raw metrics, deltas against the baseline, constraint evaluation, selection reasoning, recommendations) or simple (the choice, three key numbers, why, deployment steps); `format` pdf, html, json or csv (an attachment named `report-<id>-<view>.<format>`, ETag its sha256). 409 while it is queued or after it failed (details.status)',
    params: ReportIdParams,
    query: ReportFileQuery,
    responses: {
      200: ok('The file (application/pdf, text/html, application/json or text/csv)', undefined, 'application/octet-stream'),
      400: err('validation_failed: an unknown view or format'),
      404: err('not_found'),
      409: err('conflict: not rendered (details.status: queued or failed, details.reason)'),
    },
  },
] as const);
