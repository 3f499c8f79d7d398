import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivationList, BenchmarkRecord, ConfusionMatrixView, DatasetList, ModelList, ReportList, TrainingJob, TuningJob, type ModelVersion } from '@inkwell/contracts';
import { idxImagesBytes, idxLabelsBytes, mnistSample } from '@inkwell/datasets/testing';
import { getAs, readyVersion, until } from '../harness/models';
import { createUser, signInAdmin, type Session } from '../harness/sessions';
import { MODEL_A, shippedModels, type ShippedModels } from '../harness/shipped-models';
import { watchCurve } from './page-watchers';
import { fillSmallCnn, fillSvmGridOverC } from './job-forms';
import { newContext, signInThroughForm, startWebRig, type WebRig } from './web-harness';

/*
 * Issue 27's walk, end to end in one browser session per person, on one registry rig whose
 * serving model is a small test MLP: the engineer uploads a dataset and reads its stats, trains a
 * CNN for one epoch watching the loss curve move, opens its metrics and the images behind a
 * confusion cell, compares it with the serving model, runs a small grid search and keeps the
 * best, benchmarks the kept version, opens the benchmark's report and downloads its PDF; then an
 * admin promotes the kept version (the gate answers) and rolls it back. The pages' own tests check
 * accessibility and layout; this one checks that the steps join up.
 *
 * The CNN and the study train on the built-in MNIST (500 and 200 digits), not on the upload:
 * compare and promote pair versions tested on the same images (MNIST's test file for the serving
 * model), and tuning reads only MNIST for now (the API answers 409 for an uploaded dataset).
 */

const SERVING = MODEL_A;
/** The upload: enough digits for a split and class bars worth reading. */
const DIGITS = 1000;
/** Digits the CNN trains on, and each tuning trial. */
const CNN_DIGITS = 500;
const TRIAL_DIGITS = 200;

let rig: WebRig;
let shipped: ShippedModels | undefined;
let admin: Session;
let engineer: Session;
let serving: ModelVersion;
/** The version the study kept, which the engineer benchmarks and the admin promotes. */
let keptId = '';

beforeAll(async () => {
  const t0 = Date.now();
  shipped = await shippedModels({ name: 'web-walk', folders: [SERVING], members: [SERVING] });
  rig = await startWebRig({
    registry: true,
    // The trainer registers MNIST and the default model while inference waits for them: minutes when the machine is busy.
    readyMs: 240_000,
    env: shipped.env,
  });
  console.info(`walk: the rig started in ${Date.now() - t0} ms`);
  // Every service shares this process: while the trainer checks MNIST's 70,000 digits just after
  // start, a sign-in can time out (504); it answers once that is done.
  admin = await until('the admin to sign in', () => signInAdmin(rig.platform).catch(() => null), 180_000);
  engineer = await createUser(rig.platform, admin, 'engineer');
  serving = await until(`${SERVING} to be evaluated`, async () => {
    const v = ModelList.parse((await getAs(rig.platform, admin, '/api/models?page_size=100')).body).items.find((x) => x.name === SERVING);
    return v?.status === 'ready' ? v : null;
  });
  console.info(`walk: the serving model was evaluated ${Date.now() - t0} ms after the start`);
}, 600_000);

afterAll(async () => {
  await rig?.close();
  shipped?.cleanup();
}, 300_000);

const idOf = (page: Page): string => new URL(page.url()).pathname.split('/').at(-1) ?? '';
const toastsGone = (page: Page) => expect.poll(() => page.locator('[data-sonner-toast]').count(), { timeout: 15_000 }).toBe(0);
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/** The trainer registers the built-in MNIST in the background after it starts (tens of seconds on a busy machine). */
const builtinMnistRegistered = () =>
  until('the built-in mnist to be registered', async () => (DatasetList.parse((await getAs(rig.platform, engineer, '/api/datasets')).body).items.some((d) => d.built_in && d.name === 'mnist') ? true : null));

/** The largest off-diagonal (misread) cell of a version's confusion matrix. */
async function biggestMisread(versionId: string): Promise<{ t: number; p: number; n: number }> {
  const cm = ConfusionMatrixView.parse((await getAs(rig.platform, engineer, `/api/models/${versionId}/confusion-matrix`)).body);
  let big = { t: 0, p: 1, n: -1 };
  cm.counts.forEach((row, t) =>
    row.forEach((n, p) => {
      if (t !== p && n > big.n) big = { t, p, n };
    }),
  );
  return big;
}

/** The raw bytes a GET answers, as the API serves them. */
const bytesOf = async (path: string): Promise<Buffer> =>
  (
    await getAs(rig.platform, engineer, path)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200)
  ).body as Buffer;

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the engineer’s walk', () => {
  it('uploads a dataset, trains a CNN, reads its metrics and misreads, compares, tunes and keeps the best, benchmarks it and downloads the report', async () => {
    const { context, page, api } = await newContext(rig);
    const step = (() => {
      let last = Date.now();
      return (what: string) => {
        console.info(`walk: ${what} in ${Date.now() - last} ms`);
        last = Date.now();
      };
    })();
    try {
      await signInThroughForm(page, engineer.email, engineer.password);

      // 1. Upload a small IDX pair and read its stats.
      await nav(page).getByRole('link', { name: 'Datasets' }).click();
      await page.getByRole('heading', { name: 'Datasets', level: 1 }).waitFor();
      const set = mnistSample(DIGITS, 200);
      await page.getByLabel('Name', { exact: true }).fill('Walk digits');
      await page.getByLabel('Choose dataset files').setInputFiles([
        { name: 'train-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: idxImagesBytes(set) },
        { name: 'train-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: idxLabelsBytes(set) },
      ]);
      await page.getByRole('button', { name: 'Upload dataset' }).click();
      await page.waitForURL(/\/datasets\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { name: 'Walk digits', level: 1 }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Status: Ready' }).waitFor({ timeout: 60_000 });
      const bars = page.getByRole('list', { name: 'Class distribution' }).getByRole('listitem');
      expect(await bars.count()).toBe(10);
      const perDigit = (await bars.allInnerTexts()).map((s) => Number(/: ([\d,]+)$/.exec(s.trim())?.[1]?.replace(/,/g, '')));
      expect(perDigit).toEqual(Array.from({ length: 10 }, (_, d) => set.labels.filter((l) => l === d).length));
      await page.getByRole('img', { name: 'The average of all the dataset’s digits, 28 by 28 pixels' }).waitFor();
      await page.getByText('No problems found.').waitFor();
      step('1. upload and stats');

      // 2. Train a CNN for one epoch on 500 MNIST digits, the loss curve getting a point before the job completes.
      await builtinMnistRegistered();
      await nav(page).getByRole('link', { name: 'Training' }).click();
      await page.getByRole('heading', { name: 'Training', level: 1 }).waitFor();
      await page.getByLabel('Dataset', { exact: true }).selectOption({ label: 'mnist' });
      expect(await page.getByLabel('Model family').inputValue()).toBe('cnn');
      await fillSmallCnn(page, CNN_DIGITS);
      const curve = await watchCurve(page);
      await page.getByRole('button', { name: 'Start training' }).click();
      await page.waitForURL(/\/training\/[0-9a-f-]{36}$/);
      const jobId = idOf(page);
      await page.locator('[data-job-status="completed"]').waitFor({ timeout: 180_000 });
      const watched = await curve();
      expect(watched.firstPointStatus === 'running' || watched.firstPointStatus === 'queued', JSON.stringify(watched)).toBe(true);
      expect(watched.firstPointAt ?? Infinity).toBeLessThan(watched.completedAt ?? -Infinity);
      const job = TrainingJob.parse((await getAs(rig.platform, engineer, `/api/jobs/${jobId}`)).body);
      expect(job).toMatchObject({ status: 'completed', family: 'cnn', epochs: 1, max_train_samples: CNN_DIGITS });
      if (!job.model_version) throw new Error('the training job kept no model version');
      const trained = await readyVersion(rig.platform, engineer, job.model_version.id);
      step('2. CNN trained');

      // 3. Its metrics, and the test images behind its largest misread cell.
      await page.getByRole('link', { name: 'Open the model’s metrics' }).click();
      await page.waitForURL(`**/models/${trained.id}`);
      await page.getByRole('heading', { name: trained.name, level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Metrics on the test set' }).waitFor();
      const big = await biggestMisread(trained.id);
      expect(big.n).toBeGreaterThan(0);
      await page.getByRole('button', { name: `True ${big.t}, read as ${big.p}: ${big.n} images`, exact: true }).click();
      await page.getByRole('heading', { name: `Test images of a ${big.t} read as ${big.p}` }).waitFor();
      const images = page.getByRole('img', { name: new RegExp(`^Test image \\d+: a ${big.t} read as ${big.p}$`) });
      await expect.poll(() => images.count()).toBe(Math.min(48, big.n));
      step('3. metrics and misreads');

      // 4. Compare with the serving model: the same test images, McNemar's verdict.
      await page.getByRole('link', { name: 'Compare with the serving model' }).click();
      await page.getByRole('heading', { name: 'Compare two versions', level: 1 }).waitFor();
      const verdict = page.getByTestId('mcnemar-verdict');
      await verdict.waitFor();
      expect(await verdict.innerText()).toMatch(/McNemar p [=<]|exactly the same images/);
      const compared = new URL(page.url()).searchParams;
      expect([compared.get('a'), compared.get('b')].sort()).toEqual([serving.id, trained.id].sort());
      step('4. compare');

      // 5. A three-trial SVM grid over C on MNIST, kept.
      await nav(page).getByRole('link', { name: 'Tuning', exact: true }).click();
      await page.getByRole('heading', { name: 'Hyperparameter tuning', level: 1 }).waitFor();
      await fillSvmGridOverC(page, TRIAL_DIGITS);
      await page.getByRole('button', { name: 'Start the study' }).click();
      await page.waitForURL(/\/tuning\/[0-9a-f-]{36}$/);
      const studyId = idOf(page);
      await page.getByRole('heading', { name: `Study ${studyId.slice(0, 8)}`, level: 1 }).waitFor();
      await page.locator('[data-study-status="completed"]').waitFor({ timeout: 180_000 });
      await page.getByText('3 trials: 3 completed.').waitFor();
      const best = TuningJob.parse((await getAs(rig.platform, engineer, `/api/tuning/${studyId}`)).body).best;
      if (!best) throw new Error('the study has no best trial');
      await page.getByTestId('best-trial').getByText(`Best so far: trial ${best.trial},`).waitFor();
      await page.getByRole('button', { name: 'Keep the best model' }).click();
      await page.getByRole('dialog', { name: 'Keep the best model?' }).getByRole('button', { name: 'Keep it' }).click();
      const keptLink = page.getByRole('link', { name: /^The best model is kept as version / });
      await keptLink.waitFor();
      keptId = TuningJob.parse((await getAs(rig.platform, engineer, `/api/tuning/${studyId}`)).body).kept_version_id ?? '';
      expect(keptId).toMatch(/^[0-9a-f-]{36}$/);
      const kept = await readyVersion(rig.platform, engineer, keptId);
      expect(kept.hyperparameters).toMatchObject(best.params);
      await keptLink.click();
      await page.waitForURL(`**/models/${keptId}`);
      await page.getByRole('heading', { name: kept.name, level: 1 }).waitFor();
      await toastsGone(page);
      step('5. tuned and kept');

      // 6. Benchmark the kept version on ort-cpu, one thread, batch sizes 1 and 8, a few runs.
      await nav(page).getByRole('link', { name: 'Benchmarks', exact: true }).click();
      await page.getByRole('heading', { name: 'Benchmarks', level: 1 }).waitFor();
      await page.getByLabel('Model version').selectOption(keptId);
      await page.getByRole('checkbox', { name: /^ort-cpu-int8 / }).uncheck();
      expect(await page.getByRole('checkbox', { name: /^ort-cpu \(/ }).isChecked()).toBe(true);
      await page.getByLabel('Thread counts for ort-cpu', { exact: true }).fill('1');
      await page.getByLabel('Batch sizes').fill('1, 8');
      await page.getByLabel('Warmup runs').fill('1');
      await page.getByLabel('Measured runs').fill('5');
      await page.getByRole('button', { name: 'Start the benchmark' }).click();
      await page.getByRole('heading', { name: /^Benchmark [0-9a-f]{8}$/, level: 1 }).waitFor();
      const benchmarkId = idOf(page);
      await page.locator('[data-benchmark-status="completed"]').waitFor({ timeout: 180_000 });
      await page.getByText('6 of 6 measurements done (each engine and batch size, once per fork). Finished.').waitFor();
      const record = BenchmarkRecord.parse((await getAs(rig.platform, engineer, `/api/benchmarks/${benchmarkId}`)).body);
      expect(record.model_version_ids).toEqual([keptId]);
      const table = page.getByRole('region', { name: 'Results per engine and batch size' });
      for (const batch of [1, 8]) {
        const p50 = record.engines.find((e) => e.key === 'ort-cpu@1t')?.cells.find((c) => c.batch_size === batch)?.latency.p50_ms;
        expect(p50, `batch ${batch}`).toBeGreaterThan(0);
        await table.locator(`tr[data-engine="ort-cpu@1t"][data-batch="${batch}"]`).waitFor();
      }
      step('6. benchmarked');

      // 7. Its report: requested, opened, and the PDF the browser saves is the API's file byte for byte.
      await page.getByRole('button', { name: 'Request the benchmark report' }).click();
      await page.getByRole('button', { name: 'Technical view' }).waitFor({ timeout: 120_000 });
      await page.locator('article[data-report-view="technical"]').waitFor();
      expect(await page.locator('article[data-report-view]').innerText()).toContain('Latency by batch size');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download technical report (PDF)' }).click()]);
      const saved = readFileSync(await download.path());
      expect(saved.subarray(0, 5).toString()).toBe('%PDF-');
      const report = ReportList.parse((await getAs(rig.platform, engineer, '/api/reports?kind=benchmark').expect(200)).body).reports.find((r) => r.subject_ids[0] === benchmarkId);
      if (!report) throw new Error(`no report of benchmark ${benchmarkId}`);
      expect(sha(saved)).toBe(sha(await bytesOf(`/api/reports/${report.id}?view=technical&format=pdf`)));
      step('7. report downloaded');

      expect(api.outsideTable).toEqual([]);
    } finally {
      await context.close();
    }
  }, 600_000);
});

describe('the admin’s walk', () => {
  it('promotes the kept version, seeing the gate’s result, and rolls it back; the activation history shows both', async () => {
    expect(keptId, 'the engineer’s walk kept no version').not.toBe('');
    const kept = await readyVersion(rig.platform, admin, keptId);
    const { context, page, api } = await newContext(rig);
    try {
      await signInThroughForm(page);
      await nav(page).getByRole('link', { name: 'Models', exact: true }).click();
      // The list names a version called by its id with the id's first eight characters.
      const listed = kept.name === kept.id ? kept.id.slice(0, 8) : kept.name;
      await page.getByRole('region', { name: 'Model versions' }).getByRole('link', { name: listed, exact: true }).click();
      await page.getByRole('heading', { name: kept.name, level: 1 }).waitFor();
      const history = page.getByRole('region', { name: 'Activation history' });
      await history.getByRole('row').nth(1).waitFor();
      const rowsBefore = await history.getByRole('row').count();

      await page.getByRole('button', { name: 'Promote', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Promote ${kept.name}?` });
      await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
      await dialog.getByText('The gate passed').waitFor({ timeout: 60_000 });
      await dialog.getByText(/^Candidate \d+\.\d+% against serving \d+\.\d+%/).waitFor();
      await dialog.getByRole('button', { name: 'Done' }).click();
      await expect.poll(() => history.getByRole('row').count()).toBe(rowsBefore + 1);
      expect(await history.getByRole('row').nth(1).innerText()).toContain('Promotion');
      expect(ModelList.parse((await getAs(rig.platform, admin, '/api/models?active=true')).body).items.map((v) => v.id)).toEqual([keptId]);

      await page.getByRole('button', { name: 'Roll back the last promotion' }).click();
      const confirm = page.getByRole('dialog', { name: 'Roll back the last promotion?' });
      await confirm.getByRole('button', { name: 'Roll back', exact: true }).click();
      await confirm.waitFor({ state: 'detached' });
      await expect.poll(() => history.getByRole('row').count()).toBe(rowsBefore + 2);
      expect(await history.getByRole('row').nth(1).innerText()).toContain('Rollback');
      expect(await history.getByRole('row').nth(2).innerText()).toContain('Promotion');
      expect(ModelList.parse((await getAs(rig.platform, admin, '/api/models?active=true')).body).items.map((v) => v.id)).toEqual([serving.id]);
      const kinds = ActivationList.parse((await getAs(rig.platform, admin, '/api/models/activations')).body).items.map((x) => x.kind);
      expect(kinds.slice(0, 3)).toEqual(['rollback', 'promote', 'initial']);
      expect(api.outsideTable).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
