import type { ReportFormat, ReportView } from '@inkwell/contracts';
import { canonicalJson } from './canonical-json';
import { renderCsv } from './report-csv';
import type { ReportDocument } from './report-document';
import { renderHtml } from './report-html';
import { renderPdf, type ReportFonts } from './report-pdf';

export interface RenderedFile {
  readonly view: ReportView;
  readonly format: ReportFormat;
  readonly bytes: Uint8Array;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** One document in all four formats. */
export async function renderFormats(doc: ReportDocument, fonts: ReportFonts): Promise<RenderedFile[]> {
  return [
    { view: doc.view, format: 'json', bytes: utf8(canonicalJson(doc)) },
    { view: doc.view, format: 'csv', bytes: utf8(renderCsv(doc)) },
    { view: doc.view, format: 'html', bytes: utf8(renderHtml(doc)) },
    { view: doc.view, format: 'pdf', bytes: await renderPdf(doc, fonts) },
  ];
}

/** Both views of a report in every format: the eight files a report is. */
export async function renderAll(views: { readonly technical: ReportDocument; readonly simple: ReportDocument }, fonts: ReportFonts): Promise<RenderedFile[]> {
  return [...(await renderFormats(views.technical, fonts)), ...(await renderFormats(views.simple, fonts))];
}
