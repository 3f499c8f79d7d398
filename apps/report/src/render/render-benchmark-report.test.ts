import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchmarkList, BenchmarkRecord, ReportDocument } from '@inkwell/contracts';
import { previousBenchmarkId } from '../benchmark/benchmark-inputs';
import { benchmarkDocuments } from '../benchmark/benchmark-report';
import { benchmarkFixture } from '../testing/benchmark-fixture';
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
  files = await renderAll(benchmarkDocuments(benchmarkFixture()), fonts);
  dir = mkdtempSync(join(tmpdir(), 'report-bench-render-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a benchmark report', () => {
  it('answers JSON that the contract (and the web app) parses as a ReportDocument, in both views', () => {
    for (const view of VIEWS) expect(ReportDocument.parse(JSON.parse(text(file(view, 'json')))).view).toBe(view);
  });

  it('is byte-identical rendered twice, and in a child process under TZ=Asia/Tokyo LANG=de_DE.UTF-8, in all four formats and both views', async () => {
    expect(files).toHaveLength(8);
    const again = hashes(await renderAll(benchmarkDocuments(benchmarkFixture()), await loadFonts(FONT_DIR)));
    expect(again).toEqual(hashes(files));
    expect(await hashesInTokyo('benchmark')).toEqual(hashes(files));
  });

  it('changes when its inputs change (the hashes are not of something constant)', async () => {
    const inputs = benchmarkFixture();
    // The selected cell (ort-cpu@2t at batch 64) gets another p99 (both CSVs show it), and the benchmark a later finish (the other files show it).
    const engines = inputs.benchmark.engines.map((e) => (e.key !== 'ort-cpu@2t' ? e : { ...e, cells: e.cells.map((c) => (c.batch_size !== 64 ? c : { ...c, latency: { ...c.latency, p99_ms: c.latency.p99_ms + 0.1 } })) }));
    const moved = { ...inputs, benchmark: { ...inputs.benchmark, finished_at: '2026-05-02T07:05:00Z', engines } };
    const other = hashes(await renderAll(benchmarkDocuments(moved), fonts));
    for (const [name, hash] of Object.entries(hashes(files))) expect(other[name], name).not.toBe(hash);
  });

  it('PDF: every page renders with pdftoppm, dates come from the record, the metrics table and the latency chart are there', async () => {
    const pdfs = await checkPdfs(files, dir);
    for (const view of VIEWS) {
      const pdf = pdfs[view];
      // The benchmark's finish, not the clock.
      expect(pdf.created).toBe('2026-05-02T07:03:41.000Z');
      expect(pdf.rendered).toBe(pdf.pages);
      expect(pdf.fonts).toMatch(/DejaVuSans/);
      expect(pdf.fonts).not.toMatch(/\bno\s+no\s+no\b/);
    }
    const technical = pdfs.technical.text;
    const fixture = benchmarkFixture().benchmark;
    const c = fixture.engines[0]?.cells[0];
    if (!c) throw new Error('no cell');
    expect(technical).toContain('Latency per batch (ms; nearest-rank percentiles of the measured runs)');
    expect(technical).toMatch(new RegExp(`ort-cpu@1t · batch 1\\s+40\\s+${c.latency.mean_ms.toFixed(3)}\\s+${c.latency.p50_ms.toFixed(3)}\\s+${c.latency.p95_ms.toFixed(3)}\\s+${c.latency.p99_ms.toFixed(3)}\\s+${c.latency.max_ms.toFixed(3)}`));
    expect(technical).toContain('Latency by batch size (p50, ms per batch)');
    expect(technical).toMatch(/cuda\s+-\s+float32\s+no\s+n\/a\s+n\/a\s+n\/a\s+unavailable: this onnxruntime-node build has no CUDA/);
    expect(technical).toMatch(/ort-cpu@1t · batch 64\s+4\.209 fail\s+0\.9812 pass\s+no/);
    expect(technical).toContain('Deltas against the baseline');
    expect(technical).toContain('Selected ort-cpu@2t at batch 64.');
    const simple = pdfs.simple.text;
    expect(simple).toContain('ort-cpu@2t (ort-cpu, float32, 2 thread(s)) at batch size 64');
    expect(simple).toContain('Latency by batch size (p50, ms per batch)');
    expect(simple).toContain('Deployment steps');
  });

  it('HTML passes html-validate (recommended rules) and holds the latency chart as inline SVG lines', async () => {
    for (const view of VIEWS) {
      const html = text(file(view, 'html'));
      expect(await htmlProblems(html)).toEqual([]);
      expect(html).toMatch(/<svg [^>]*aria-label="Latency by batch size[^"]*"[^>]*>[\s\S]*<polyline /);
    }
  });

  it('CSV parses (RFC 4180) into rows under one header row, with the raw metrics, constraint checks and deltas', () => {
    const rows = parseCsv(text(file('technical', 'csv')));
    expect(rows[0]).toEqual(['section', 'table', 'row', 'column', 'value']);
    for (const r of rows) expect(r).toHaveLength(5);
    const c = benchmarkFixture().benchmark.engines[1]?.cells[2];
    expect(rows).toContainEqual(['metrics', 'latency', 'ort-cpu@2t · batch 64', 'p99 ms', c?.latency.p99_ms.toFixed(3)]);
    expect(rows).toContainEqual(['metrics', 'throughput_resources', 'ort-cpu@2t · batch 64', 'Images/s', c?.throughput.toFixed(1)]);
    expect(rows).toContainEqual(['constraints', 'constraints', 'ort-wasm · batch 64', 'p99_ms < 3', '9.370 fail']);
    // A signed value with a unit could read as a formula in a spreadsheet: it is quoted with a leading '.
    expect(rows).toContainEqual(['deltas', 'deltas', 'ort-cpu@1t · batch 1', 'Δ images/s %', "'+5.0 %"]);
    const simple = parseCsv(text(file('simple', 'csv')));
    expect(simple[0]).toEqual(['section', 'table', 'row', 'column', 'value']);
    expect(simple).toContainEqual(['key_numbers', 'key_numbers', 'throughput', 'Value', `${c?.throughput.toFixed(1) ?? ''} images/s`]);
  });

  it('JSON is canonical, with the finish time in UTC', () => {
    const json = text(file('technical', 'json'));
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed.created_at).toBe('2026-05-02T07:03:41Z');
    expect(json.endsWith('\n')).toBe(true);
  });

  it('without a baseline it says "no baseline"; when nothing meets the constraints the summary says "none meets the constraints"', async () => {
    const inputs = benchmarkFixture({ baseline: false });
    const selection = inputs.benchmark.selection;
    if (!selection) throw new Error('the fixture has a selection');
    const none = { ...inputs, benchmark: { ...inputs.benchmark, selection: { ...selection, selected: null, summary: 'No engine meets every constraint: nothing selected.' } } };
    const docs = benchmarkDocuments(none);
    const out = await renderAll(docs, fonts);
    const technical = new TextDecoder().decode(out.find((f) => f.view === 'technical' && f.format === 'html')?.bytes);
    expect(technical).toContain('no baseline');
    expect(technical).not.toContain('id="table-deltas"');
    const simple = new TextDecoder().decode(out.find((f) => f.view === 'simple' && f.format === 'html')?.bytes);
    expect(simple).toContain('none meets the constraints');
    expect(simple).toContain('best throughput measured (ort-cpu-int8@1t · batch 64)');
    expect(simple).toContain('Nothing to deploy');
  });
});

describe('the baseline of a benchmark', () => {
  const { benchmark, baseline } = benchmarkFixture();
  const item = (r: BenchmarkRecord, over: Partial<BenchmarkRecord> = {}) => {
    const { engines: _e, constraints: _c, ...rest } = { ...r, ...over };
    return rest;
  };

  it('is the newest earlier completed benchmark of the same version set; none when there is none', () => {
    if (!baseline) throw new Error('the fixture has a baseline');
    const other = { ...baseline, id: '77777777-7777-4777-8777-777777777777' };
    const list = BenchmarkList.parse({
      items: [
        item(benchmark),
        item(other, { model_version_ids: [benchmark.model_version_ids[0] ?? ''], created_at: '2026-05-01T00:00:00Z' }), // another model, newer
        item(other, { id: '88888888-8888-4888-8888-888888888888', status: 'failed', created_at: '2026-05-01T00:00:00Z' }), // not completed
        item(other, { id: '99999999-9999-4999-8999-999999999999', created_at: '2026-06-01T00:00:00Z' }), // later than this one
        item(baseline),
        item(other, { id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', created_at: '2026-03-01T00:00:00Z' }), // older
      ],
    });
    expect(previousBenchmarkId(benchmark, list)).toBe(baseline.id);
    expect(previousBenchmarkId(benchmark, { items: [item(benchmark)] })).toBeNull();
  });
});
