import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportDocument } from '@inkwell/contracts';
import { comparisonDocuments } from '../comparison/comparison-report';
import { comparisonFixture } from '../testing/comparison-fixture';
import { parseCsv } from '../testing/parse-csv';
import { checkPdfs, FONT_DIR, fileHashes as hashes, fileOf, fileText as text, hashesInTokyo, htmlProblems, VIEWS } from '../testing/render-checks';
import { loadFonts } from './load-fonts';
import { renderAll, type RenderedFile } from './render-report';
import type { ReportFonts } from './report-pdf';

let fonts: ReportFonts;
let files: RenderedFile[];
let dir: string;
const file = (view: string, format: string) => fileOf(files, view, format);

beforeAll(async () => {
  fonts = await loadFonts(FONT_DIR);
  files = await renderAll(comparisonDocuments(comparisonFixture()), fonts);
  dir = mkdtempSync(join(tmpdir(), 'report-render-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a comparison report', () => {
  it('answers JSON that the contract (and the web app) parses as a ReportDocument, in both views', () => {
    for (const view of VIEWS) expect(ReportDocument.parse(JSON.parse(text(file(view, 'json')))).view).toBe(view);
  });

  it('is byte-identical rendered twice, and in a child process under TZ=Asia/Tokyo LANG=de_DE.UTF-8, in all four formats and both views', async () => {
    expect(files).toHaveLength(8);
    const again = hashes(await renderAll(comparisonDocuments(comparisonFixture()), await loadFonts(FONT_DIR)));
    expect(again).toEqual(hashes(files));
    expect(await hashesInTokyo()).toEqual(hashes(files));
  });

  it('changes when its inputs change (the hashes are not of something constant)', async () => {
    const inputs = comparisonFixture();
    // A later record time (every file but the CSV shows it) and another accuracy delta (the CSV's tables show it).
    const moved = { ...inputs, b: { ...inputs.b, created_at: '2026-03-05T00:00:00Z' }, comparison: { ...inputs.comparison, deltas: { ...inputs.comparison.deltas, accuracy: 0.0076 } } };
    const other = hashes(await renderAll(comparisonDocuments(moved), fonts));
    for (const [name, hash] of Object.entries(hashes(files))) expect(other[name], name).not.toBe(hash);
  });

  it('PDF: every page renders with pdftoppm, dates come from the record, the tables and the chart are there', async () => {
    const pdfs = await checkPdfs(files, dir);
    for (const view of VIEWS) {
      const pdf = pdfs[view];
      expect(pdf.created).toBe('2026-03-04T23:30:15.000Z');
      expect(pdf.producer).toBe('Inkwell report service (pdf-lib)');
      expect(pdf.rendered).toBe(pdf.pages);
      expect(pdf.fonts).toMatch(/DejaVuSans/);
      expect(pdf.fonts).not.toMatch(/\bno\s+no\s+no\b/); // every font embedded (emb = yes)
    }
    const technical = pdfs.technical.text;
    expect(technical).toMatch(/macro F1\s+0\.9803\s+0\.9869\s+\+0\.0066/);
    expect(technical).toContain('Test images only one version classifies correctly, by digit');
    expect(technical).toMatch(/only B right \(cnn-b\)/);
    expect(technical).toContain('Selection reasoning');
    const simple = pdfs.simple.text;
    expect(simple).toMatch(/accuracy difference B − A\s+\+0\.66 pt/);
    expect(simple).toContain('Deployment steps');
  });

  it('HTML passes html-validate (recommended rules) and holds the chart as inline SVG', async () => {
    for (const view of VIEWS) {
      const html = text(file(view, 'html'));
      expect(await htmlProblems(html)).toEqual([]);
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    }
    expect(text(file('technical', 'html'))).toMatch(/<svg [^>]*role="img"[^>]*>[\s\S]*<rect /);
  });

  it('CSV parses (RFC 4180) into rows under one header row, every row as wide as the header', () => {
    const rows = parseCsv(text(file('technical', 'csv')));
    expect(rows[0]).toEqual(['section', 'table', 'row', 'column', 'value']);
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) expect(r).toHaveLength(5);
    expect(rows).toContainEqual(['metrics', 'metrics', 'accuracy', 'Δ (B − A)', '+0.0066']);
    expect(rows).toContainEqual(['constraints', 'constraints', 'accuracy B ≥ accuracy A', 'Value', "'+0.66 pt"]);
  });

  it('JSON is canonical: keys sorted at every level, the record time in UTC', () => {
    const json = text(file('technical', 'json'));
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed.created_at).toBe('2026-03-04T23:30:15Z');
    expect(json.endsWith('\n')).toBe(true);
  });
});
