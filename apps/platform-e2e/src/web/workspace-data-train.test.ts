import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dataset, DatasetList, TrainingJob } from '@inkwell/contracts';
import { idxImagesBytes, idxLabelsBytes, mnistSample } from '@inkwell/datasets/testing';
import { createUser, signInAdmin, type Session } from '../harness/sessions';
import { fillSmallCnn } from './job-forms';
import { watchCurve, watchUploadBar } from './page-watchers';
import { newContext, screenshotsWithoutOverflow, seriousA11yViolations, signInThroughForm, startWebRig, type WebRig } from './web-harness';

let rig: WebRig;
let dataDir: string;
let engineer: Session;
let viewer: Session;

/** Digits in the uploaded dataset: enough that 500 of them (80 % go to training) train a few steps. */
const DIGITS = 1000;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'workspace-data-train-'));
  rig = await startWebRig({ env: { DATA_DIR: dataDir } });
  const admin = await signInAdmin(rig.platform);
  [engineer, viewer] = await Promise.all([createUser(rig.platform, admin, 'engineer'), createUser(rig.platform, admin, 'viewer')]);
  await builtinMnistRegistered(engineer);
}, 360_000);
afterAll(async () => {
  await rig?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * The trainer registers the built-in MNIST in the background after it starts (checking 70,000
 * digits: tens of seconds on a busy machine); the pages list it once it is there.
 */
async function builtinMnistRegistered(who: Session, ms = 240_000): Promise<void> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 500))) {
    const res = await fetch(`${rig.platform.url}/api/datasets`, { headers: { Authorization: `Bearer ${who.access}` } });
    if (res.ok && DatasetList.parse(await res.json()).items.some((d) => d.built_in && d.name === 'mnist')) return;
  }
  throw new Error(`the built-in mnist was not registered within ${ms} ms`);
}

describe('the engineer’s datasets and training pages', () => {
  it('uploads an IDX pair, sees it validate with its stats and split, trains a CNN for one epoch on 500 digits watching the curves move, and deletes the dataset', async () => {
    const { context, page, api } = await newContext(rig);
    try {
      await signInThroughForm(page, engineer.email, engineer.password);
      await page.getByRole('link', { name: 'Datasets' }).first().click();
      await page.getByRole('heading', { name: 'Datasets', level: 1 }).waitFor();
      // The built-in MNIST is listed for everyone who may train.
      const list = page.getByRole('region', { name: 'Datasets you can train on, newest first' });
      await list.getByRole('link', { name: 'mnist' }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);

      // Uploading with nothing chosen is refused before anything is sent.
      await page.getByRole('button', { name: 'Upload dataset' }).click();
      await page.getByRole('alert').filter({ hasText: 'Choose the dataset’s file or files first.' }).waitFor();
      expect(api.calls).not.toContain('POST /api/datasets');

      const set = mnistSample(DIGITS, 200);
      await page.getByLabel('Name', { exact: true }).fill('Tiny digits');
      await page.getByLabel('Description (optional)').fill('1,000 MNIST test digits as an IDX pair');
      await page.getByLabel('Choose dataset files').setInputFiles([
        { name: 'train-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: idxImagesBytes(set) },
        { name: 'train-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: idxLabelsBytes(set) },
      ]);
      await page.getByText(/^Chosen: train-images-idx3-ubyte, train-labels-idx1-ubyte/).waitFor();
      const uploadBar = await watchUploadBar(page);
      await page.getByRole('button', { name: 'Upload dataset' }).click();

      // The dataset's page: validating, then ready, without a reload.
      await page.waitForURL(/\/datasets\/[0-9a-f-]{36}$/);
      const datasetId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
      await page.getByRole('heading', { name: 'Tiny digits', level: 1 }).waitFor();
      const seen = await uploadBar();
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((v) => v >= 0 && v <= 100)).toBe(true);
      await page.getByRole('status').filter({ hasText: 'Status: Ready' }).waitFor({ timeout: 60_000 });
      expect(api.calls.filter((c) => c === `GET /api/datasets/${datasetId}`).length).toBeGreaterThan(0);

      // Stats: ten class bars whose counts add up to the upload, matching the labels uploaded.
      const bars = page.getByRole('list', { name: 'Class distribution' }).getByRole('listitem');
      expect(await bars.count()).toBe(10);
      const perDigit = (await bars.allInnerTexts()).map((s) => Number(/: ([\d,]+)$/.exec(s.trim())?.[1]?.replace(/,/g, '')));
      const expected = Array.from({ length: 10 }, (_, d) => set.labels.filter((l) => l === d).length);
      expect(perDigit).toEqual(expected);
      await page.getByRole('img', { name: 'The average of all the dataset’s digits, 28 by 28 pixels' }).waitFor();
      await page.getByRole('img', { name: /^How often each pixel value/ }).waitFor();
      await page.getByRole('heading', { name: 'Validation report' }).waitFor();
      await page.getByText('No problems found.').waitFor();
      const split = page.getByRole('region', { name: 'Digits per part of the split, by class' });
      const api1 = Dataset.parse(await (await context.request.get(`/api/datasets/${datasetId}`)).json());
      await split.getByRole('row', { name: new RegExp(`^Train ${api1.split?.counts.train ?? -1} `) }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(await screenshotsWithoutOverflow(page, 'dataset')).toEqual([]);

      // The list shows it ready too.
      await page.getByRole('link', { name: 'All datasets' }).click();
      await list.getByRole('row', { name: /Tiny digits Ready/ }).waitFor();
      expect(await screenshotsWithoutOverflow(page, 'datasets')).toEqual([]);

      // Train on it: the form arrives with this dataset chosen and the CNN's defaults.
      await list.getByRole('link', { name: 'Tiny digits' }).click();
      await page.getByRole('link', { name: 'Train on this dataset' }).click();
      await page.getByRole('heading', { name: 'Training', level: 1 }).waitFor();
      expect(await page.getByLabel('Dataset', { exact: true }).inputValue()).toBe(datasetId);
      expect(await page.getByLabel('Model family').inputValue()).toBe('cnn');
      expect(await page.getByLabel('filters').inputValue()).toBe('32, 64');
      expect(await page.getByLabel('batch_size').inputValue()).toBe('64');
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(await screenshotsWithoutOverflow(page, 'training')).toEqual([]);

      // Out-of-range values get the catalogue's words, and nothing is sent.
      await page.getByLabel('Epochs', { exact: true }).fill('0');
      await page.getByLabel('batch_size').fill('0');
      await page.getByRole('button', { name: 'Start training' }).click();
      await page.getByText('From 1 to 1000.').waitFor();
      await page.getByText('Must be at least 1.').waitFor();
      await page.getByRole('alert').filter({ hasText: 'Some values need fixing: epochs, batch_size.' }).waitFor();
      expect(api.calls).not.toContain('POST /api/models/train');
      expect(await seriousA11yViolations(page)).toEqual([]);

      await fillSmallCnn(page, 500);
      const curve = await watchCurve(page);
      await page.getByRole('button', { name: 'Start training' }).click();

      await page.waitForURL(/\/training\/[0-9a-f-]{36}$/);
      const jobId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
      await page.locator('[data-job-status="completed"]').waitFor({ timeout: 180_000 });
      const watched = await curve();
      // The loss chart had a point while the job was still queued or running, before it completed.
      expect(watched.firstPointStatus === 'running' || watched.firstPointStatus === 'queued', JSON.stringify(watched)).toBe(true);
      expect(watched.firstPointAt).not.toBeNull();
      expect(watched.completedAt).not.toBeNull();
      expect(watched.firstPointAt ?? Infinity).toBeLessThan(watched.completedAt ?? -Infinity);
      expect(api.calls).toContain(`GET /api/jobs/${jobId}/events`);

      const job = TrainingJob.parse(await (await context.request.get(`/api/jobs/${jobId}`)).json());
      expect(job).toMatchObject({ status: 'completed', dataset_id: datasetId, family: 'cnn', epochs: 1, max_train_samples: 500, hyperparameters: { filters: [8], dense: [32], batch_size: 16 } });
      const accuracy = job.model_version?.metrics.accuracy ?? -1;
      await page.getByText(`Test accuracy ${(accuracy * 100).toFixed(1)} %`).waitFor();
      const lossPoints = Number(await page.locator('figure[data-chart-points]').first().getAttribute('data-chart-points'));
      expect(lossPoints).toBeGreaterThan(0);
      await page.getByRole('img', { name: new RegExp(`^Training loss: ${lossPoints} points?;`) }).waitFor();
      expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(await screenshotsWithoutOverflow(page, 'training-job')).toEqual([]);

      // The jobs list and the history per family show it, with CSV and JSON exports of the same rows.
      await page.getByRole('link', { name: 'All training jobs' }).click();
      await page.getByRole('region', { name: 'Training jobs, newest first' }).getByRole('link', { name: jobId.slice(0, 8) }).waitFor();
      await page.getByLabel('Family shown').selectOption('cnn');
      const history = page.getByRole('region', { name: 'Training history, newest first' });
      await history.getByRole('link', { name: jobId.slice(0, 8) }).waitFor();
      expect(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe('/api/training-history?family=cnn&format=csv');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
      const csvPath = await download.path();
      const { readFile } = await import('node:fs/promises');
      expect(await readFile(csvPath, 'utf8')).toContain(jobId);
      expect(await seriousA11yViolations(page)).toEqual([]);

      // Deleting the dataset asks first; then it is gone from the list.
      await page.goto(`/datasets/${datasetId}`);
      await page.getByRole('button', { name: 'Delete dataset' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete “Tiny digits”?' });
      await dialog.waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('heading', { name: 'Datasets', level: 1 }).waitFor();
      await list.getByRole('link', { name: 'mnist' }).waitFor();
      expect(await list.getByRole('link', { name: 'Tiny digits' }).count()).toBe(0);
      const left = DatasetList.parse(await (await context.request.get('/api/datasets')).json()).items;
      expect(left.map((d) => d.id)).not.toContain(datasetId);

      expect(api.outsideTable).toEqual([]);
    } finally {
      await context.close();
    }
  }, 420_000);

  it('a viewer sees no Datasets or Training links and is told the pages are for engineers', async () => {
    const { context, page, api } = await newContext(rig);
    try {
      await signInThroughForm(page, viewer.email, viewer.password);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Batch jobs' }).waitFor();
      expect(await nav.getByRole('link', { name: 'Datasets' }).count()).toBe(0);
      expect(await nav.getByRole('link', { name: 'Training' }).count()).toBe(0);
      for (const path of ['/training', '/datasets']) {
        await page.goto(path);
        await page.getByRole('heading', { name: 'Engineers only', level: 1 }).waitFor();
        await page.getByText('Datasets and training are for engineers and administrators.', { exact: false }).waitFor();
      }
      expect(await seriousA11yViolations(page)).toEqual([]);
      // Nothing of the engineer APIs was even asked for.
      expect(api.calls.filter((c) => /^\S+ \/api\/(datasets|jobs|families|models\/train|training-history)/.test(c))).toEqual([]);
      expect(api.outsideTable).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
