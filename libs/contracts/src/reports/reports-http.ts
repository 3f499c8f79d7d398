import { z } from 'zod';

/* The report service's HTTP contract: start a report (comparison or benchmark), read its files. */

export const ReportKind = z.enum(['comparison', 'benchmark']);
export type ReportKind = z.infer<typeof ReportKind>;

export const ReportView = z.enum(['technical', 'simple']);
export type ReportView = z.infer<typeof ReportView>;

export const ReportFormat = z.enum(['pdf', 'html', 'json', 'csv']);
export type ReportFormat = z.infer<typeof ReportFormat>;

/** `queued` until the `report.render` job has fetched the inputs and rendered every file. */
export const ReportStatus = z.enum(['queued', 'ready', 'failed']);
export type ReportStatus = z.infer<typeof ReportStatus>;

/**
 * `POST /api/reports`: a comparison of two registered versions (B against A, as the registry's
 * compare) or the report of one benchmark.
 */
export const CreateReportRequest = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('comparison'), a: z.uuid(), b: z.uuid() })
    .strict()
    .refine((r) => r.a !== r.b, { message: 'a and b must be two different versions', path: ['b'] }),
  z.object({ kind: z.literal('benchmark'), benchmark_id: z.uuid() }).strict(),
]);
export type CreateReportRequest = z.infer<typeof CreateReportRequest>;

export const ReportIdParams = z.object({ id: z.uuid() });
export type ReportIdParams = z.infer<typeof ReportIdParams>;

export const ReportFileQuery = z
  .object({ view: ReportView.default('technical'), format: ReportFormat.default('json') })
  .strict();
export type ReportFileQuery = z.infer<typeof ReportFileQuery>;

export const ReportListQuery = z
  .object({
    kind: ReportKind.optional(),
    /** One report by id: how a page follows a report without reading the whole list. */
    id: z.uuid().optional(),
    /** The report on exactly these subjects, comma-separated in order: `a,b` (a comparison) or a benchmark id. */
    subject: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.uuid()).min(1).max(2))
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();
export type ReportListQuery = z.infer<typeof ReportListQuery>;

/**
 * One report. Its id is derived from what it reports on (the same request names the same report),
 * and `created_at` is the subject's own time (the later version's `created_at`, the benchmark's
 * finish), the only time its files show.
 */
export const ReportSummary = z.object({
  id: z.uuid(),
  kind: ReportKind,
  /** Comparison: [a, b]; benchmark: [benchmark_id]. */
  subject_ids: z.array(z.uuid()),
  status: ReportStatus,
  /** Why rendering failed, when `failed`. */
  status_reason: z.string().nullable(),
  /** From the subject's record; null until the inputs are fetched. */
  created_at: z.iso.datetime({ offset: true }).nullable(),
  /** When it was asked for (the service's clock; never in a file). */
  requested_at: z.iso.datetime({ offset: true }),
  /** sha256 of each rendered file, `<view>.<format>`, once ready. */
  files: z.record(z.string(), z.string()),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

export const ReportList = z.object({ reports: z.array(ReportSummary) });
export type ReportList = z.infer<typeof ReportList>;

/** What each format is served as. */
export const REPORT_CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};
