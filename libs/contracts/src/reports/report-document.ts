import { z } from 'zod';

/*
 * A report as format-independent content (`GET /api/reports/{id}?format=json` answers it): the
 * report service renders every format (JSON, CSV, HTML, PDF) from this one value, so the four files
 * always say the same thing, and the web app parses the JSON with the same schema. Cells are
 * already text; chart values stay numbers for drawing.
 */

export const ReportTable = z.object({
  /** Stable name, used as the CSV's `table` column and HTML ids. */
  id: z.string(),
  title: z.string(),
  columns: z.array(z.string()).readonly(),
  rows: z.array(z.array(z.string()).readonly()).readonly(),
});
export type ReportTable = z.infer<typeof ReportTable>;

export const ChartSeries = z.object({
  name: z.string(),
  /** One value per category of the chart; null: no value there. */
  values: z.array(z.number().nullable()).readonly(),
});
export type ChartSeries = z.infer<typeof ChartSeries>;

export const ReportChart = z.object({
  id: z.string(),
  title: z.string(),
  /** `line`: one polyline per series (latency by batch); `bar`: grouped bars per category. */
  kind: z.enum(['line', 'bar']),
  x_label: z.string(),
  y_label: z.string(),
  categories: z.array(z.string()).readonly(),
  series: z.array(ChartSeries).readonly(),
});
export type ReportChart = z.infer<typeof ReportChart>;

export const ReportSection = z.object({
  id: z.string(),
  heading: z.string(),
  paragraphs: z.array(z.string()).readonly(),
  /** A list (numbered when `ordered`): reasoning steps, recommendations, deployment steps. */
  list: z.object({ ordered: z.boolean(), items: z.array(z.string()).readonly() }).optional(),
  tables: z.array(ReportTable).readonly(),
  charts: z.array(ReportChart).readonly(),
});
export type ReportSection = z.infer<typeof ReportSection>;

export const ReportDocument = z.object({
  title: z.string(),
  kind: z.enum(['comparison', 'benchmark']),
  view: z.enum(['technical', 'simple']),
  subject_ids: z.array(z.string()).readonly(),
  /** The subject's record time, ISO UTC: the only time any file shows. */
  created_at: z.string(),
  /** Label/value pairs shown under the title. */
  meta: z.array(z.tuple([z.string(), z.string()]).readonly()).readonly(),
  sections: z.array(ReportSection).readonly(),
});
export type ReportDocument = z.infer<typeof ReportDocument>;
