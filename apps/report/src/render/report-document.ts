import type { ReportSection } from '@inkwell/contracts';

// The document's schema and types are the contract the web app parses too: libs/contracts.
export type { ChartSeries, ReportChart, ReportDocument, ReportSection, ReportTable } from '@inkwell/contracts';

/** A section with only what it has (empty lists by default). */
export function section(id: string, heading: string, parts: Partial<Pick<ReportSection, 'paragraphs' | 'list' | 'tables' | 'charts'>>): ReportSection {
  return { id, heading, paragraphs: parts.paragraphs ?? [], ...(parts.list ? { list: parts.list } : {}), tables: parts.tables ?? [], charts: parts.charts ?? [] };
}
