import { z } from 'zod';

/*
 * The JSON form of a rendered report (`GET /api/reports/{id}?format=json`): the report service's
 * format-independent document, which its PDF, HTML and CSV also render. The route answers bytes
 * (no schema in the route table), so the page parses them here before showing anything.
 */

export const ReportTableDoc = z.object({ id: z.string(), title: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.string())) });
export type ReportTableDoc = z.infer<typeof ReportTableDoc>;

export const ReportChartDoc = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['line', 'bar']),
  x_label: z.string(),
  y_label: z.string(),
  categories: z.array(z.string()),
  series: z.array(z.object({ name: z.string(), values: z.array(z.number().nullable()) })),
});
export type ReportChartDoc = z.infer<typeof ReportChartDoc>;

export const ReportSectionDoc = z.object({
  id: z.string(),
  heading: z.string(),
  paragraphs: z.array(z.string()),
  list: z.object({ ordered: z.boolean(), items: z.array(z.string()) }).optional(),
  tables: z.array(ReportTableDoc),
  charts: z.array(ReportChartDoc),
});
export type ReportSectionDoc = z.infer<typeof ReportSectionDoc>;

export const ReportDocument = z.object({
  title: z.string(),
  kind: z.enum(['comparison', 'benchmark']),
  view: z.enum(['technical', 'simple']),
  subject_ids: z.array(z.string()),
  created_at: z.string(),
  meta: z.array(z.tuple([z.string(), z.string()])),
  sections: z.array(ReportSectionDoc),
});
export type ReportDocument = z.infer<typeof ReportDocument>;
