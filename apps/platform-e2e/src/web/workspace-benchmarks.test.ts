import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActivationList, ActiveModels, BenchmarkRecord, ModelList, ReportList, ServableEngine, type BenchmarkRequestInput, type ModelVersion } from '@inkwell/contracts';
import { getAs, until } from '../harness/models';
import { createUser, signInAdmin, type Session } from '../harness/sessions';
import { MODEL_A as A, MODEL_B as B, shippedModels, type ShippedModels } from '../harness/shipped-models';
import { newContext, screenshotsWithoutOverflow, seriousA11yViolations, signInThroughForm, startWebRig, type WebRig } from './web-harness';

/*
 * The benchmark and report pages as an engineer, a viewer and an admin use them, on a registry
 * whose shipped defaults are two small test models (A serving, B not): start a small benchmark
 * from the form and watch it live, read its table, chart, verdicts and choice, open its report in
 * both views and download the PDF; a viewer reads without start, apply or report controls; an
 * admin applies the choice (the promotion gate is loosened for the small test models) and inference serves it. Also the reports list, and Compare's ROC overlay.
 */


let rig: WebRig;
let shipped: ShippedModels | undefined;
let admin: Session;
let engineer: Session;
let viewer: Session;
let a: ModelVersion;
let b: ModelVersion;
/** The benchmark the engineer starts through the form; the viewer and the admin open it after. */
let benchmarkId = '';

const readyNamed = (name: string) =>
  until(`${name} to be evaluated`, async () => {
    const v = ModelList.parse((await getAs(rig.platform, admin, '/api/models?page_size=100')).body).items.find((m) => m.name === name);
    return v?.status === 'ready' ? v : null;
  });

const finished = (id: string) =>
  until(`benchmark ${id} to finish`, async () => {
    const r = BenchmarkRecord.parse((await getAs(rig.platform, viewer, `/api/benchmarks/${id}`).expect(200)).body);
    if (r.status === 'failed') throw new Error(`benchmark failed: ${r.error ?? ''}`);
    return r.status === 'completed' ? r : null;
  });

/**
 * Sign-ins hash a password; on a machine shared with other test runs the auth service may miss the
 * gateway's 30 s deadline (504) or be briefly unreachable (503) while the platform starts: try again.
 */
async function patiently<T>(run: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (e) {
      if (i >= tries || !/answered 50[34]/.test(String(e))) throw e;
    }
  }
}

beforeAll(async () => {
  const setupStart = Date.now();
  shipped = await shippedModels({ name: 'web-bench' });
  rig = await startWebRig({ env: shipped.env });
  const rigSeconds = Math.round((Date.now() - setupStart) / 1000);
  admin = await patiently(() => signInAdmin(rig.platform));
  // One after the other: each hashes a password, and the machine the tests share may be busy.
  engineer = await patiently(() => createUser(rig.platform, admin, 'engineer'));
  viewer = await patiently(() => createUser(rig.platform, admin, 'viewer'));
  [a, b] = await Promise.all([readyNamed(A), readyNamed(B)]);
  // A benchmark that asked for the GPU engines this machine lacks: the form learns from it which
  // engines to offer disabled, with the reason (no cell is measured, so it takes a moment).
  const gpu: BenchmarkRequestInput = { model_version_id: a.id, engines: [{ engine: 'cuda' }, { engine: 'tensorrt-fp16' }], batch_sizes: [1], warmup_iterations: 0, iterations: 1 };
  const started = await request(rig.platform.url).post('/api/benchmarks').set('Authorization', `Bearer ${engineer.access}`).send(gpu);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await finished(BenchmarkRecord.parse(started.body).id);
  console.log(`setup: ${Math.round((Date.now() - setupStart) / 1000)} s (platform and build ${rigSeconds} s)`);
}, 600_000);

afterAll(async () => {
  await rig?.close();
  shipped?.cleanup();
});

const toastsGone = (page: Page) => expect.poll(() => page.locator('[data-sonner-toast]').count(), { timeout: 15_000 }).toBe(0);

const ProgressSeen = z.array(z.object({ status: z.string().nullable(), text: z.string() }));

/** Records, from now on, every (status, progress line) the page shows: the live view must move before the end. */
async function watchProgress(page: Page): Promise<() => Promise<z.infer<typeof ProgressSeen>>> {
  await page.evaluate(`(() => {
    const seen = [];
    window.progressSeen = seen;
    const look = () => {
      const status = document.querySelector('[data-benchmark-status]')?.getAttribute('data-benchmark-status') ?? null;
      const text = document.querySelector('[data-testid="benchmark-progress"]')?.textContent ?? '';
      const last = seen[seen.length - 1];
      if (!last || last.status !== status || last.text !== text) seen.push({ status, text });
    };
    look();
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  })()`);
  return async () => ProgressSeen.parse(await page.evaluate('window.progressSeen'));
}

describe('an engineer', () => {
  it('starts a small benchmark from the form, watches it live, reads the table, chart, verdicts and choice, opens the report in both views and downloads its PDF', async () => {
    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page, engineer.email, engineer.password);
    await page.getByRole('link', { name: 'Benchmarks', exact: true }).click();
    await page.getByRole('heading', { name: 'Benchmarks', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Start a benchmark' }).waitFor();
    // The GPU engines the earlier benchmark found missing are offered disabled, with the reason.
    // The hints come after the form (it does not wait for old benchmarks).
    const cuda = page.getByRole('checkbox', { name: /^cuda/ });
    await cuda.waitFor();
    await expect.poll(() => cuda.isDisabled(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByText(/^Not available on this machine: /).count(), { timeout: 15_000 }).toBe(2);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await screenshotsWithoutOverflow(page, 'benchmarks')).toEqual([]);

    // The test model on ort-cpu (1 thread) and int8, batch sizes 1 and 8, 2 s each, one constraint.
    await page.getByLabel('Model version').selectOption(a.id);
    expect(await page.getByRole('checkbox', { name: /^ort-cpu \(/ }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /^ort-cpu-int8 / }).isChecked()).toBe(true);
    await page.getByLabel('Thread counts for ort-cpu', { exact: true }).fill('1');
    await page.getByLabel('Batch sizes').fill('1, 8');
    await page.getByLabel('Warmup runs').fill('1');
    await page.getByLabel('Forks').fill('2');
    // Measured for a duration, not a few runs: a few runs of the tiny test model finish before the
    // page can watch them, and the live view must be seen moving.
    await page.getByRole('radio', { name: 'A duration' }).check();
    await page.getByLabel('Seconds per engine and batch size').fill('2');
    await page.getByRole('button', { name: 'Add a constraint' }).click();
    await page.getByLabel('Metric (constraint 1)').selectOption('accuracy');
    await page.getByLabel('Operator (constraint 1)').selectOption('>=');
    await page.getByLabel('Value (constraint 1)').fill('0.5');
    await page.getByRole('button', { name: 'Start the benchmark' }).click();

    await page.getByRole('heading', { name: /^Benchmark [0-9a-f]{8}$/, level: 1 }).waitFor();
    benchmarkId = new URL(page.url()).pathname.split('/').pop() ?? '';
    expect(benchmarkId).toMatch(/^[0-9a-f-]{36}$/);
    const seen = await watchProgress(page);
    await page.locator('[data-benchmark-status="completed"]').waitFor({ timeout: 180_000 });
    // The progress moved on the page before the benchmark finished (the stream, not a reload).
    const steps = await seen();
    expect(steps.some((s) => s.status === 'running' && /^\d+ of 8 .* Measuring /.test(s.text)), JSON.stringify(steps)).toBe(true);
    await page.getByText('8 of 8 measurements done (each engine and batch size, once per fork). Finished.').waitFor();

    const record = await finished(benchmarkId);
    expect(record.request.forks).toBe(2);
    const table = page.getByRole('region', { name: 'Results per engine and batch size' });
    await expect.poll(() => table.locator('tbody tr[data-verdict="pass"]').count(), { timeout: 30_000 }).toBe(4);
    for (const key of ['ort-cpu@1t', 'ort-cpu-int8@1t']) {
      for (const batch of [1, 8]) {
        const row = table.locator(`tr[data-engine="${key}"][data-batch="${batch}"]`);
        const p50 = record.engines.find((e) => e.key === key)?.cells.find((c) => c.batch_size === batch)?.latency.p50_ms;
        expect(p50, `${key} ${batch}`).toBeDefined();
        expect(await row.innerText()).toContain('All met');
      }
    }
    // The chart (lazy Recharts), one line per engine, named for a screen reader.
    const chart = page.getByRole('img', { name: /^Line chart of p50 latency in ms by batch size for ort-cpu@1t, ort-cpu-int8@1t/ });
    await chart.waitFor();
    await expect.poll(() => chart.locator('.recharts-line').count()).toBe(2);
    await page.getByText(`Selected: ${record.selection?.selected?.engine_key ?? 'none'} at batch size`).waitFor();
    // An engineer starts benchmarks but does not apply them.
    expect(await page.getByRole('button', { name: 'Apply the selected engine' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Request the benchmark report' }).click();
    const technical = page.getByRole('button', { name: 'Technical view' });
    await technical.waitFor({ timeout: 120_000 });
    expect(await technical.getAttribute('aria-pressed')).toBe('true');
    const shown = page.locator('article[data-report-view]');
    await page.locator('article[data-report-view="technical"]').waitFor();
    expect(await shown.innerText()).toContain('Latency by batch size');
    expect(await shown.innerText()).toContain('ort-cpu-int8@1t · batch 8');
    await page.getByRole('button', { name: 'Simple view' }).click();
    await page.locator('article[data-report-view="simple"]').waitFor();
    expect(await shown.innerText()).toContain(record.selection?.selected?.engine_key ?? 'none meets the constraints');
    await page.getByRole('link', { name: 'Download simple report (CSV)' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The PDF as the browser saves it, byte for byte what the API serves.
    await page.getByRole('button', { name: 'Technical view' }).click();
    await page.locator('article[data-report-view="technical"]').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download technical report (PDF)' }).click()]);
    const saved = readFileSync((await download.path()) ?? '');
    expect(saved.subarray(0, 5).toString()).toBe('%PDF-');
    const report = ReportList.parse((await getAs(rig.platform, engineer, '/api/reports?kind=benchmark').expect(200)).body).reports.find((r) => r.subject_ids[0] === benchmarkId);
    const viaApi = await getAs(rig.platform, engineer, `/api/reports/${report?.id ?? ''}?view=technical&format=pdf`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(sha(saved)).toBe(sha(viaApi.body as Buffer));
    expect(sha(saved)).toBe(report?.files['technical.pdf']);
    await toastsGone(page);
    expect(await screenshotsWithoutOverflow(page, 'benchmark-detail')).toEqual([]);

    // The reports list, filtered to benchmarks, links the report and its benchmark.
    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.getByLabel('Kind').selectOption('benchmark');
    const reports = page.getByRole('region', { name: 'Reports, most recently requested first' });
    await reports.getByRole('link', { name: `Benchmark ${benchmarkId.slice(0, 8)}` }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await screenshotsWithoutOverflow(page, 'reports')).toEqual([]);
    await reports.getByRole('link', { name: `Open report ${report?.id ?? ''}` }).click();
    await page.locator('article[data-report-view="technical"]').waitFor();
    expect(api.outsideTable).toEqual([]);
    await context.close();
  }, 300_000);

  it('sees both versions\' ROC curves overlaid on Compare, each curve toggled on its own', async () => {
    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page, engineer.email, engineer.password);
    await page.goto(`/models/compare?a=${a.id}&b=${b.id}`);
    await page.getByRole('heading', { name: 'ROC curves of both versions' }).waitFor();
    const chart = page.getByRole('img', { name: /^ROC curves of .* \(solid\) and .* \(dashed\): Micro average\./ });
    await chart.waitFor();
    // Micro average of A and B: two polylines; adding digit 3 adds two more.
    expect(await chart.locator('polyline').count()).toBe(2);
    await page.getByRole('checkbox', { name: 'Digit 3', exact: true }).check();
    await page.getByRole('img', { name: /: Micro average, Digit 3\./ }).waitFor();
    expect(await page.getByRole('img', { name: /: Micro average, Digit 3\./ }).locator('polyline').count()).toBe(4);
    const aucs = page.getByRole('region', { name: 'Area under each ROC curve, A and B' });
    expect(await aucs.getByRole('row').count()).toBe(13);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await screenshotsWithoutOverflow(page, 'compare-roc-overlay')).toEqual([]);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });
});

describe('a viewer', () => {
  it('reads the benchmarks and the report with no start, apply or report controls; the API refuses a start (403)', async () => {
    expect(benchmarkId).not.toBe('');
    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page, viewer.email, viewer.password);
    await page.getByRole('link', { name: 'Benchmarks', exact: true }).click();
    const list = page.getByRole('region', { name: 'Benchmarks, newest first' });
    await list.getByRole('link', { name: `Open benchmark ${benchmarkId}` }).waitFor();
    expect(await page.getByRole('heading', { name: 'Start a benchmark' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Start the benchmark' }).count()).toBe(0);
    await list.getByRole('link', { name: `Open benchmark ${benchmarkId}` }).click();
    await page.locator('[data-benchmark-status="completed"]').waitFor();
    // The report an engineer asked for is there to read; no control asks for one or applies the choice.
    await page.locator('article[data-report-view="technical"]').waitFor();
    expect(await page.getByRole('button', { name: 'Apply the selected engine' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Request the benchmark report|^Render it again/ }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    const bearer = { Authorization: `Bearer ${viewer.access}` };
    const start: BenchmarkRequestInput = { model_version_id: a.id, engines: [{ engine: 'ort-cpu', threads: 1 }], batch_sizes: [1], iterations: 1 };
    expect((await request(rig.platform.url).post('/api/benchmarks').set(bearer).send(start)).status).toBe(403);
    expect((await request(rig.platform.url).post(`/api/benchmarks/${benchmarkId}/apply`).set(bearer).send({})).status).toBe(403);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });
});

describe('an admin', () => {
  it('applies the selected engine after confirming: the page says so, focus stays on the page, and inference serves it', async () => {
    expect(benchmarkId).not.toBe('');
    const bench = BenchmarkRecord.parse((await getAs(rig.platform, admin, `/api/benchmarks/${benchmarkId}`).expect(200)).body);
    const selected = bench.selection?.selected;
    // Only engines inference can serve are offered for apply; this benchmark measured only those.
    expect(selected && ServableEngine.safeParse(selected.engine).success, JSON.stringify(selected)).toBe(true);
    expect(bench.request.engines.map((e) => e.engine).every((e) => ServableEngine.safeParse(e).success)).toBe(true);
    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page);
    await page.goto(`/benchmarks/${benchmarkId}`);
    const applyButton = page.getByRole('button', { name: 'Apply the selected engine' });
    await applyButton.click();
    const dialog = page.getByRole('dialog', { name: 'Apply the selected engine?' });
    await dialog.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByText(/^Applied as activation \d+ by /).waitFor({ timeout: 60_000 });
    await dialog.waitFor({ state: 'detached' });
    expect(await applyButton.count()).toBe(0);
    // The button that had focus is gone: focus lands on the page's heading, not on nothing.
    await expect.poll(() => page.evaluate('document.activeElement?.tagName ?? null')).toBe('H1');

    const after = BenchmarkRecord.parse((await getAs(rig.platform, admin, `/api/benchmarks/${benchmarkId}`).expect(200)).body);
    const activationId = after.applied?.activation_id;
    expect(activationId).toBeGreaterThan(0);
    expect(await page.getByText(new RegExp(`^Applied as activation ${activationId ?? ''} by `)).count()).toBe(1);
    const [latest] = ActivationList.parse((await getAs(rig.platform, admin, '/api/models/activations').expect(200)).body).items;
    expect(latest).toMatchObject({ id: activationId, kind: 'apply', engine: { engine: selected?.engine, variant: selected?.variant, benchmark_id: benchmarkId } });
    const served = await until('inference to serve the applied engine', async () => {
      const active = ActiveModels.parse((await getAs(rig.platform, viewer, '/v1/models/active').expect(200)).body);
      return active.model_loaded && active.engine?.benchmark_id === benchmarkId ? active.engine : null;
    });
    expect(served).toMatchObject({ name: selected?.engine, variant: selected?.variant, benchmark_id: benchmarkId });
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });
});

