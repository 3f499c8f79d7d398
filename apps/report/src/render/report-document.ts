/*
 * A report as format-independent content: every format (JSON, CSV, HTML, PDF) renders this one
 * value, so the four files always say the same thing. Cells are already text (format.ts made
 * them); chart values stay numbers for drawing.
 */

export interface ReportTable {
  /** Stable name, used as the CSV's `table` column and HTML ids. */
  readonly id: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface ChartSeries {
  readonly name: string;
  /** One value per category of the chart; null: no value there. */
  readonly values: readonly (number | null)[];
}

export interface ReportChart {
  readonly id: string;
  readonly title: string;
  /** `line`: one polyline per series (latency by batch); `bar`: grouped bars per category. */
  readonly kind: 'line' | 'bar';
  readonly x_label: string;
  readonly y_label: string;
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
}

export interface ReportSection {
  readonly id: string;
  readonly heading: string;
  readonly paragraphs: readonly string[];
  /** A list (numbered when `ordered`): reasoning steps, recommendations, deployment steps. */
  readonly list?: { readonly ordered: boolean; readonly items: readonly string[] };
  readonly tables: readonly ReportTable[];
  readonly charts: readonly ReportChart[];
}

export interface ReportDocument {
  readonly title: string;
  readonly kind: 'comparison' | 'benchmark';
  readonly view: 'technical' | 'simple';
  readonly subject_ids: readonly string[];
  /** The subject's record time, ISO UTC: the only time any file shows. */
  readonly created_at: string;
  /** Label/value pairs shown under the title. */
  readonly meta: readonly (readonly [string, string])[];
  readonly sections: readonly ReportSection[];
}

/** A section with only what it has (empty lists by default). */
export function section(id: string, heading: string, parts: Partial<Pick<ReportSection, 'paragraphs' | 'list' | 'tables' | 'charts'>>): ReportSection {
  return { id, heading, paragraphs: parts.paragraphs ?? [], ...(parts.list ? { list: parts.list } : {}), tables: parts.tables ?? [], charts: parts.charts ?? [] };
}
