/* eslint-disable @nx/enforce-module-boundaries -- the small trained model comes from inference's test helper, as the harness's does. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchmarkRecord, ErrorBody, ModelImportResult, ReportList, ReportSummary, type BenchmarkRequestInput } from '@inkwell/contracts';
import { GraphBuilder } from '@inkwell/onnx';
import { ensureTestModel } from '../../../inference/src/testing/test-model';
import { startPlatform, type Platform } from '../harness/platform';
import { getAs, readyVersion, until } from '../harness/models';
import { createUser, signInAdmin, type Session } from '../harness/sessions';

const run = promisify(execFile);

let p: Platform;
let engineer: Session;
let viewer: Session;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'reports-e2e-'));
  p = await startPlatform({ env: { DATA_DIR: dataDir } });
  const admin = await signInAdmin(p);
  [engineer, viewer] = await Promise.all([createUser(p, admin, 'engineer'), createUser(p, admin, 'viewer')]);
}, 180_000);
afterAll(async () => {
  await p?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A linear digit model with fixed weights: a second, weaker version to compare the builtin against. */
function linearModel(): Uint8Array {
  const g = new GraphBuilder('linear');
  const x = g.input('image', 'float32', ['N', 1, 28, 28]);
  const flat = g.node('Flatten', [x], { axis: 1 });
  const w = g.initializer('w', 'float32', [10, 784], Array.from({ length: 7840 }, (_, i) => Math.sin(i * 0.7) * 0.05));
  const out = g.node('Softmax', [g.node('Gemm', [flat, w], { transB: 1 })], { axis: 1 }, { outputs: ['probs'] });
  g.output(out, 'float32', ['N', 10]);
  return g.toModel({ opsets: { '': 17 } });
}

/** A response body as bytes, whatever its content type. */
const bytesOf = (req: request.Test) =>
  req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });

const post = (who: Session, body: unknown) => request(p.url).post('/api/reports').set('Authorization', `Bearer ${who.access}`).send(body as object);

// The two imported versions (a: the small trained MLP, b: a fixed linear model); the benchmark report benchmarks a.
let a: string;
let b: string;

describe('reports through the gateway', () => {
  let report: ReportSummary;

  it('an engineer requests a comparison report of two versions; it is rendered by the report queue', async () => {
    const upload = async (bytes: Uint8Array, name: string) => {
      const res = await request(p.url).post('/api/models/import').set('Authorization', `Bearer ${engineer.access}`).field('name', name).attach('model', Buffer.from(bytes), `${name}.onnx`).expect(202);
      return (await readyVersion(p, viewer, ModelImportResult.parse(res.body).version.id, 120_000)).id;
    };
    a = await upload((await ensureTestModel()).onnx, 'mlp');
    b = await upload(linearModel(), 'linear');

    const accepted = ReportSummary.parse((await post(engineer, { kind: 'comparison', a, b }).expect(202)).body);
    expect(accepted).toMatchObject({ kind: 'comparison', subject_ids: [a, b] });
    report = await until('the report to be rendered', async () => {
      const list = ReportList.parse((await getAs(p, viewer, '/api/reports').expect(200)).body);
      const r = list.reports.find((x) => x.id === accepted.id);
      if (r?.status === 'failed') throw new Error(`report failed: ${r.status_reason}`);
      return r?.status === 'ready' ? r : null;
    }, 120_000);
    expect(Object.keys(report.files).sort()).toEqual(['simple.csv', 'simple.html', 'simple.json', 'simple.pdf', 'technical.csv', 'technical.html', 'technical.json', 'technical.pdf']);
    // The subject's time (the later version's record), not the time it was rendered.
    expect(Date.parse(report.created_at ?? '')).toBeLessThan(Date.parse(report.requested_at) + 1);
  }, 300_000);

  it('asking again names the same report (its id comes from the subject) and queues nothing new', async () => {
    const again = ReportSummary.parse((await post(engineer, { kind: 'comparison', a, b }).expect(202)).body);
    expect(again.id).toBe(report.id);
    expect(again.status).toBe('ready');
    expect(again.files).toEqual(report.files);
  });

  it.each([
    ['pdf', 'application/pdf'],
    ['html', 'text/html; charset=utf-8'],
    ['json', 'application/json; charset=utf-8'],
    ['csv', 'text/csv; charset=utf-8'],
  ])('a viewer reads both views as %s, with its content type, file name and sha256', async (format, type) => {
    for (const view of ['technical', 'simple']) {
      const res = await getAs(p, viewer, `/api/reports/${report.id}?view=${view}&format=${format}`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const bytes = res.body as Buffer;
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['content-disposition']).toContain(`filename="report-${report.id}-${view}.${format}"`);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(report.files[`${view}.${format}`]);
      if (format === 'pdf') {
        const path = join(dataDir, `${view}.pdf`);
        writeFileSync(path, bytes);
        const text = (await run('pdftotext', ['-layout', path, '-'])).stdout;
        expect(text).toContain(view === 'technical' ? 'Raw metrics and deltas' : 'Three key numbers');
      }
      if (format === 'html') expect(bytes.toString('utf8')).toContain('<!DOCTYPE html>');
      if (format === 'csv') expect(bytes.toString('utf8').split('\r\n')[0]).toBe('section,table,row,column,value');
    }
  });

  it('a viewer may not start a report (403), nor a guest read one (401); an unknown format is 400', async () => {
    const refused = await post(viewer, { kind: 'comparison', a, b }).expect(403);
    expect(ErrorBody.parse(refused.body).code).toBe('forbidden');
    await request(p.url).get(`/api/reports/${report.id}`).expect(401);
    expect(ErrorBody.parse((await getAs(p, viewer, `/api/reports/${report.id}?format=docx`).expect(400)).body).code).toBe('validation_failed');
  });

  it('a comparison the trainer refuses (an unknown version) ends failed with its reason, and 409 on reading it', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const accepted = ReportSummary.parse((await post(engineer, { kind: 'comparison', a, b: missing }).expect(202)).body);
    const failed = await until('the report to fail', async () => {
      const r = ReportList.parse((await getAs(p, viewer, '/api/reports').expect(200)).body).reports.find((x) => x.id === accepted.id);
      return r?.status === 'failed' ? r : null;
    }, 60_000);
    expect(failed.status_reason).toMatch(/404/);
    const body = ErrorBody.parse((await getAs(p, viewer, `/api/reports/${accepted.id}?format=pdf`).expect(409)).body);
    expect(body).toMatchObject({ code: 'conflict', details: { status: 'failed' } });
  }, 90_000);
});

describe('a benchmark report through the gateway', () => {
  let baseline: BenchmarkRecord;
  let benchmark: BenchmarkRecord;
  let report: ReportSummary;

  /** Starts a benchmark as the engineer and waits for it through the API. Tiny counts: the report is under test, not the numbers. */
  const benchmarkOf = async (engines: BenchmarkRequestInput['engines']): Promise<BenchmarkRecord> => {
    const body: BenchmarkRequestInput = { model_version_id: a, engines, batch_sizes: [1, 8], warmup_iterations: 1, iterations: 3, constraints: [{ metric: 'accuracy', op: '>=', value: 0.5 }] };
    const started = await request(p.url).post('/api/benchmarks').set('Authorization', `Bearer ${engineer.access}`).send(body);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = BenchmarkRecord.parse(started.body).id;
    return until(`benchmark ${id} to finish`, async () => {
      const r = BenchmarkRecord.parse((await getAs(p, viewer, `/api/benchmarks/${id}`).expect(200)).body);
      if (r.status === 'failed') throw new Error(`benchmark failed: ${r.error ?? ''}`);
      return r.status === 'completed' ? r : null;
    }, 240_000);
  };

  it('an engineer benchmarks a version twice (1-2 engines, batch 1 and 8) and requests the second one\'s report; it is rendered with the first as baseline', async () => {
    baseline = await benchmarkOf([{ engine: 'ort-cpu', threads: 1 }]);
    benchmark = await benchmarkOf([{ engine: 'ort-cpu', threads: 1 }, { engine: 'ort-wasm' }]);
    const accepted = ReportSummary.parse((await post(engineer, { kind: 'benchmark', benchmark_id: benchmark.id }).expect(202)).body);
    expect(accepted).toMatchObject({ kind: 'benchmark', subject_ids: [benchmark.id] });
    report = await until('the benchmark report to be rendered', async () => {
      const r = ReportList.parse((await getAs(p, viewer, '/api/reports?kind=benchmark').expect(200)).body).reports.find((x) => x.id === accepted.id);
      if (r?.status === 'failed') throw new Error(`report failed: ${r.status_reason}`);
      return r?.status === 'ready' ? r : null;
    }, 120_000);
    expect(Object.keys(report.files)).toHaveLength(8);
    // The benchmark's own finish, to the second, is the report's time.
    expect(report.created_at).toBe(benchmark.finished_at);
  }, 600_000);

  it.each(['pdf', 'html', 'json', 'csv'])('a viewer reads both views as %s: the bytes whose sha256 the report lists, with the benchmark\'s numbers', async (format) => {
    for (const view of ['technical', 'simple']) {
      const res = await bytesOf(getAs(p, viewer, `/api/reports/${report.id}?view=${view}&format=${format}`)).expect(200);
      const bytes = res.body as Buffer;
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(report.files[`${view}.${format}`]);
      const body = format === 'pdf' ? (await run('pdftotext', ['-layout', written(bytes, `bench-${view}.pdf`), '-'])).stdout : bytes.toString('utf8');
      // The chart (its title; the CSV holds tables only, the chart's p50s among them).
      if (format !== 'csv') expect(body).toContain('Latency by batch size');
      if (view === 'technical' && format !== 'json') {
        // The metrics table row of the wasm engine at batch 8, and the first benchmark as baseline.
        expect(body).toContain('ort-wasm · batch 8');
        expect(body).toContain(format === 'csv' ? `deltas,deltas,ort-cpu@1t · batch 1` : `Baseline: benchmark ${baseline.id}`);
      }
      if (view === 'simple' && format !== 'csv') expect(body).toContain(benchmark.selection?.selected?.engine_key ?? 'none meets the constraints');
      if (format === 'csv') expect(body.split('\r\n')[0]).toBe('section,table,row,column,value');
    }
  });

  it('the first benchmark\'s report says it has no baseline', async () => {
    const accepted = ReportSummary.parse((await post(engineer, { kind: 'benchmark', benchmark_id: baseline.id }).expect(202)).body);
    const ready = await until('the baseline\'s report', async () => {
      const r = ReportList.parse((await getAs(p, viewer, '/api/reports?kind=benchmark').expect(200)).body).reports.find((x) => x.id === accepted.id);
      if (r?.status === 'failed') throw new Error(`report failed: ${r.status_reason}`);
      return r?.status === 'ready' ? r : null;
    }, 120_000);
    const html = (await bytesOf(getAs(p, viewer, `/api/reports/${ready.id}?view=technical&format=html`)).expect(200)).body as Buffer;
    expect(html.toString('utf8')).toContain('no baseline');
  }, 180_000);
});

/** Writes a PDF where pdftotext can read it. */
function written(bytes: Buffer, name: string): string {
  const path = join(dataDir, name);
  writeFileSync(path, bytes);
  return path;
}
