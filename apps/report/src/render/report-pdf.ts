import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb as pdfRgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { layoutChart, type Rgb } from './chart-layout';
import { formatTimestamp } from './format';
import type { ReportChart, ReportDocument, ReportTable } from './report-document';

/** The TrueType files every PDF embeds (DejaVu Sans, apps/report/assets/fonts). */
export interface ReportFonts {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
}

const PAGE: [number, number] = [595, 842]; // A4 in points
const MARGIN = 48;
const CONTENT_W = PAGE[0] - 2 * MARGIN;
const TEXT = pdfRgb(0.13, 0.13, 0.13);
const HEADER_FILL = pdfRgb(0.95, 0.95, 0.95);
const RULE = pdfRgb(0.8, 0.8, 0.8);
const NUMERIC = /^[+-]?\d+(\.\d+)?( %| pt| ms| MB)?$/;
const toPdf = (c: Rgb) => pdfRgb(c[0] / 255, c[1] / 255, c[2] / 255);

/** Writes top to bottom, starting a page when the next block does not fit. */
class Cursor {
  page: PDFPage;
  y: number;
  constructor(
    private readonly pdf: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = pdf.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height >= MARGIN + 14) return;
    this.page = this.pdf.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  /** Word-wrapped text at the cursor; `indent` for list items. */
  paragraph(text: string, size: number, opts: { bold?: boolean; indent?: number; gap?: number } = {}): void {
    const font = opts.bold ? this.bold : this.font;
    const indent = opts.indent ?? 0;
    for (const line of wrap(text, font, size, CONTENT_W - indent)) {
      this.ensure(size + 3);
      this.y -= size + 3;
      this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font, color: TEXT });
    }
    this.y -= opts.gap ?? 4;
  }
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

function drawTable(c: Cursor, t: ReportTable): void {
  c.paragraph(t.title, 9, { bold: true, gap: 2 });
  const pad = 6;
  const natural = t.columns.map((col, i) => Math.max(c.bold.widthOfTextAtSize(col, 8), ...t.rows.map((r) => (i === 0 ? c.bold : c.font).widthOfTextAtSize(r[i] ?? '', 8))) + pad);
  const total = natural.reduce((a, b) => a + b, 0);
  // Too wide at 8 pt: the whole table is set smaller (down to 5 pt) rather than wrapped or cut.
  const scale = Math.min(1, CONTENT_W / total);
  const size = Math.max(5, 8 * scale);
  const widths = natural.map((w) => w * scale);
  const rowH = size + 5;
  const drawRow = (cells: readonly string[], header: boolean) => {
    c.ensure(rowH);
    const top = c.y;
    if (header) c.page.drawRectangle({ x: MARGIN, y: top - rowH, width: widths.reduce((a, b) => a + b, 0), height: rowH, color: HEADER_FILL });
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const w = widths[i] ?? 0;
      const font = header || i === 0 ? c.bold : c.font;
      const tw = font.widthOfTextAtSize(cell, size);
      const tx = !header && i > 0 && NUMERIC.test(cell) ? x + w - pad / 2 - tw : x + pad / 2;
      c.page.drawText(cell, { x: tx, y: top - rowH + 3.5, size, font, color: TEXT });
      x += w;
    });
    c.page.drawLine({ start: { x: MARGIN, y: top - rowH }, end: { x, y: top - rowH }, thickness: 0.5, color: RULE });
    c.y -= rowH;
  };
  drawRow(t.columns, true);
  for (const r of t.rows) drawRow(r, false);
  c.y -= 8;
}

function drawChart(c: Cursor, chart: ReportChart): void {
  const l = layoutChart(chart);
  c.ensure(l.height + 6);
  const left = MARGIN;
  const top = c.y;
  const Y = (y: number) => top - y;
  for (const s of l.shapes) {
    if (s.type === 'line') c.page.drawLine({ start: { x: left + s.x1, y: Y(s.y1) }, end: { x: left + s.x2, y: Y(s.y2) }, thickness: s.width, color: toPdf(s.color) });
    else if (s.type === 'rect') c.page.drawRectangle({ x: left + s.x, y: Y(s.y + s.h), width: s.w, height: s.h, color: toPdf(s.color) });
    else if (s.type === 'polyline') {
      for (let i = 1; i < s.points.length; i++) {
        const a = s.points[i - 1];
        const b = s.points[i];
        if (a && b) c.page.drawLine({ start: { x: left + a[0], y: Y(a[1]) }, end: { x: left + b[0], y: Y(b[1]) }, thickness: s.width, color: toPdf(s.color) });
      }
    } else {
      const w = c.font.widthOfTextAtSize(s.text, s.size);
      const x = s.anchor === 'start' ? s.x : s.anchor === 'middle' ? s.x - w / 2 : s.x - w;
      c.page.drawText(s.text, { x: left + x, y: Y(s.y), size: s.size, font: c.font, color: TEXT });
    }
  }
  c.y -= l.height + 6;
}

/**
 * The report as a PDF. Byte-stable: pdf-lib writes no file /ID unless asked, its "random" font
 * name suffixes come from a PRNG seeded with 1 per document, the Info dates are set from the
 * record (not the clock) and written in UTC, producer and creator are fixed, and the fonts are
 * subset-embedded from the repository's TTF files (the subset is a function of the glyphs used).
 */
export async function renderPdf(doc: ReportDocument, fonts: ReportFonts): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(fonts.regular, { subset: true });
  const bold = await pdf.embedFont(fonts.bold, { subset: true });
  const at = new Date(Date.parse(doc.created_at));
  pdf.setTitle(doc.title);
  pdf.setAuthor('Inkwell');
  pdf.setSubject(`${doc.kind} report (${doc.view} view): ${doc.subject_ids.join(', ')}`);
  pdf.setProducer('Inkwell report service (pdf-lib)');
  pdf.setCreator('Inkwell');
  pdf.setCreationDate(at);
  pdf.setModificationDate(at);

  const c = new Cursor(pdf, font, bold);
  c.paragraph(doc.title, 18, { bold: true, gap: 6 });
  c.paragraph(`Record time: ${formatTimestamp(doc.created_at)}`, 9, { gap: 6 });
  for (const [k, v] of doc.meta) c.paragraph(`${k}: ${v}`, 9, { gap: 1 });
  c.y -= 8;
  for (const s of doc.sections) {
    c.ensure(40);
    c.paragraph(s.heading, 13, { bold: true, gap: 4 });
    for (const p of s.paragraphs) c.paragraph(p, 9);
    s.list?.items.forEach((item, i) => c.paragraph(`${s.list?.ordered ? `${i + 1}.` : '•'} ${item}`, 9, { indent: 10, gap: 2 }));
    for (const t of s.tables) drawTable(c, t);
    for (const ch of s.charts) drawChart(c, ch);
    c.y -= 6;
  }
  const pages = pdf.getPages();
  pages.forEach((p, i) => {
    p.drawText(`${doc.title} · page ${i + 1} of ${pages.length}`, { x: MARGIN, y: MARGIN - 20, size: 7, font, color: TEXT });
  });
  return pdf.save({ useObjectStreams: false });
}
