/* eslint-disable @nx/enforce-module-boundaries -- the 5,000-trial study is seeded by the trainer's own test helper, as workspace-models seeds versions beside the trainer's schema. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelVersion, TuningJob, type TuningRequest } from '@inkwell/contracts';
import { createDb, type Db } from '@inkwell/db';
import { seedTuningStudy } from '../../../trainer/src/testing/seed-tuning-study';
import { trainerService } from '../../../trainer/src/service';
import { getAs, until } from '../harness/models';
import { createUser, signInAdmin, type Session } from '../harness/sessions';
import { fillSvmGridOverC } from './job-forms';
import { newContext, screenshotsWithoutOverflow, seriousA11yViolations, signInThroughForm, startWebRig, type WebRig } from './web-harness';

/*
 * The tuning pages as an engineer and a viewer use them: a small SVM grid study started from the
 * form, its trials arriving live, best-so-far and importance, the best kept as a model version; a
 * second study discarded; a seeded genetic study of 5,000 trials interactive in under 2 s; no tune
 * controls for a viewer.
 */

const INTERACTIVE_MS = 2000;
const SEEDED_TRIALS = 5000;
/** Each SVM trial fits 200 digits: seconds, even on a busy two-core machine. */
const DIGITS = 200;

let rig: WebRig;
let dataDir: string;
let db: Db;
let engineer: Session;
let viewer: Session;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'workspace-tuning-'));
  rig = await startWebRig({ env: { DATA_DIR: dataDir } });
  db = createDb({ url: rig.platform.env.database.url, schema: trainerService.schema, poolMax: 1 });
  const admin = await signInAdmin(rig.platform);
  [engineer, viewer] = await Promise.all([createUser(rig.platform, admin, 'engineer'), createUser(rig.platform, admin, 'viewer')]);
}, 360_000);

afterAll(async () => {
  await db?.destroy();
  await rig?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const auth = (s: Session) => ({ Authorization: `Bearer ${s.access}` });
const study = async (id: string): Promise<TuningJob> => TuningJob.parse((await getAs(rig.platform, engineer, `/api/tuning/${id}`)).body);
const studyIdOf = (page: Page): string => new URL(page.url()).pathname.split('/').at(-1) ?? '';
const trialsTable = (page: Page) => page.getByRole('region', { name: 'Trials of this study, one page' });
const toastsGone = (page: Page) => expect.poll(() => page.locator('[data-sonner-toast]').count(), { timeout: 15_000 }).toBe(0);

/** A page expression: performance.now() at the first animation frame where `condition` holds. */
const whenTrue = (condition: string): string =>
  `new Promise((resolve, reject) => { const until = performance.now() + 30000; const tick = () => { if (${condition}) resolve(performance.now()); else if (performance.now() > until) reject(new Error('never became true')); else requestAnimationFrame(tick); }; tick(); })`;

describe('an engineer', () => {
  it('starts a grid study from the form, watches its trials arrive live, keeps the best model, and discards a second study', async () => {
    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page, engineer.email, engineer.password);
    await page.getByRole('link', { name: 'Tuning', exact: true }).click();
    await page.getByRole('heading', { name: 'Hyperparameter tuning', level: 1 }).waitFor();
    await fillSvmGridOverC(page, DIGITS);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Start the study' }).click();
    await page.waitForURL(/\/tuning\/[0-9a-f-]{36}$/);
    const id = studyIdOf(page);

    // A second study of one trial, started beside it over the API, to be discarded.
    const second: TuningRequest = { family: 'svm', dataset_id: 'mnist', base_hyperparameters: {}, space: { C: { kind: 'float', low: 1, high: 10, log: true } }, method: { kind: 'grid', points_per_axis: 2 }, budget: { trials: 1 }, objective: 'val_accuracy', seed: 0, epochs: 1, max_train_samples: DIGITS, pruning: true };
    const started = await request(rig.platform.url).post('/api/tuning').set(auth(engineer)).send(second);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const secondId = TuningJob.parse(started.body).id;

    await page.getByRole('heading', { name: `Study ${id.slice(0, 8)}`, level: 1 }).waitFor();
    // A mark in this document: if it is still there at the end, every update arrived without a reload.
    await page.evaluate('window.tuningMark = 1');
    const t0 = Date.now();
    await expect.poll(() => trialsTable(page).locator('tbody tr').count(), { timeout: 180_000 }).toBeGreaterThan(0);
    await page.locator('[data-study-status="completed"]').waitFor({ timeout: 180_000 });
    console.info(`3-trial SVM grid on ${DIGITS} digits: completed on the page ${Date.now() - t0} ms after it opened`);
    expect(await page.evaluate('window.tuningMark')).toBe(1);
    expect(api.calls).toContain(`GET /api/tuning/${id}/events`);
    await expect.poll(() => trialsTable(page).locator('tbody tr').count()).toBe(3);
    await page.getByText('3 trials: 3 completed.').waitFor();

    const done = await study(id);
    const best = done.best;
    if (!best) throw new Error('no best trial');
    await page.getByTestId('best-trial').getByText(`Best so far: trial ${best.trial},`).waitFor();
    await page.getByRole('img', { name: /^Best validation accuracy so far over 3 trials/ }).waitFor();
    await page.getByRole('list', { name: 'Parameter importance' }).getByText('C', { exact: true }).waitFor();
    await page.getByRole('img', { name: /^Parallel coordinates of 3 rated trials over C/ }).waitFor();
    // Sorted by the objective, the best trial heads the table.
    await page.getByLabel('Order trials').selectOption('value:desc');
    await expect.poll(() => trialsTable(page).locator('tbody tr').first().getAttribute('data-trial')).toBe(String(best.trial));
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Keep the best model' }).click();
    const keep = page.getByRole('dialog', { name: 'Keep the best model?' });
    await keep.getByRole('button', { name: 'Keep it' }).click();
    const kept = page.getByRole('link', { name: /^The best model is kept as version / });
    await kept.waitFor();
    expect(await page.getByRole('button', { name: 'Keep the best model' }).count()).toBe(0);
    const keptId = (await study(id)).kept_version_id;
    if (!keptId) throw new Error('not kept');
    expect(ModelVersion.parse((await getAs(rig.platform, engineer, `/api/models/${keptId}`)).body).hyperparameters).toMatchObject(best.params);
    await toastsGone(page);
    expect(await screenshotsWithoutOverflow(page, 'tuning-study')).toEqual([]);
    await kept.click();
    await page.waitForURL(`**/models/${keptId}`);

    // The second study: finished in the list, discarded on its page.
    await until('the second study to finish', async () => ((await study(secondId)).status === 'completed' ? true : null), 180_000);
    await page.getByRole('link', { name: 'Tuning', exact: true }).click();
    const list = page.getByRole('region', { name: 'Tuning studies, newest first' });
    await list.getByRole('link', { name: secondId.slice(0, 8) }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await screenshotsWithoutOverflow(page, 'tuning-list')).toEqual([]);
    await list.getByRole('link', { name: secondId.slice(0, 8) }).click();
    await page.locator('[data-study-status="completed"]').waitFor();
    await page.getByRole('button', { name: 'Discard' }).click();
    await page.getByRole('dialog', { name: 'Discard the trials\' models?' }).getByRole('button', { name: 'Discard' }).click();
    await page.getByText('Discarded: the trials\' model files are deleted; this record stays.').waitFor();
    expect(await page.getByRole('button', { name: 'Discard' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Keep the best model' }).count()).toBe(0);
    expect((await study(secondId)).discarded).toBe(true);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  }, 420_000);
});

describe(`a study of ${SEEDED_TRIALS.toLocaleString()} trials`, () => {
  it('becomes interactive in under 2 s, pages and sorts on the server, and draws every trial', async () => {
    const id = await seedTuningStudy(db, { ownerId: engineer.userId, trials: SEEDED_TRIALS });
    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page, engineer.email, engineer.password);
    // From navigation start (performance.now() counts from it) to the first page of trials and an enabled order control.
    await page.goto(`/tuning/${id}`, { waitUntil: 'commit' });
    const ms = await page.evaluate<number>(
      whenTrue(`document.querySelectorAll('[aria-label="Trials of this study, one page"] tbody tr').length > 0 && document.querySelector('select[name="trial_order"]') !== null && !document.querySelector('select[name="trial_order"]').disabled`),
    );
    await page.getByText(`Trials 1–25 of ${SEEDED_TRIALS.toLocaleString()}`).waitFor();
    const waterfall = await page.evaluate<string[]>(`performance.getEntriesByType('resource').map((e) => e.name.replace(location.origin, '') + ' ' + Math.round(e.startTime) + '-' + Math.round(e.responseEnd))`);
    console.info(`requests (ms from navigation): ${waterfall.join('; ')}`);
    const nextStart = Date.now();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText(`Trials 26–50 of ${SEEDED_TRIALS.toLocaleString()}`).waitFor();
    const nextMs = Date.now() - nextStart;
    expect(await trialsTable(page).locator('tbody tr').first().getAttribute('data-trial')).toBe('25');
    const sortStart = Date.now();
    await page.getByLabel('Order trials').selectOption('value:desc');
    await page.getByText(`Trials 1–25 of ${SEEDED_TRIALS.toLocaleString()}`).waitFor();
    await trialsTable(page).locator('tbody tr').first().getByText('best', { exact: true }).waitFor();
    const sortMs = Date.now() - sortStart;
    console.info(`${SEEDED_TRIALS} trials: study page interactive after ${Math.round(ms)} ms; next page ${nextMs} ms; sorted by accuracy ${sortMs} ms`);
    const summaryStart = Date.now();
    expect((await getAs(rig.platform, engineer, `/api/tuning/${id}/summary`)).status).toBe(200);
    console.info(`${SEEDED_TRIALS} trials: the summary (every trial as columns) answers in ${Date.now() - summaryStart} ms over the gateway`);

    // Every rated trial is a line of the parallel coordinates; the genetic study's generations are charted.
    const rated = SEEDED_TRIALS - SEEDED_TRIALS / 50;
    expect(await page.locator('svg[data-parallel-lines]').getAttribute('data-parallel-lines')).toBe(String(rated));
    await page.getByRole('img', { name: /^11 generations; the last one's best is/ }).waitFor();
    await page.getByText(`${SEEDED_TRIALS.toLocaleString()} trials: ${rated.toLocaleString()} completed, ${(SEEDED_TRIALS / 50).toLocaleString()} failed.`).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await screenshotsWithoutOverflow(page, 'tuning-large-study')).toEqual([]);
    // The page read a summary and pages of trials, never the full 5,000-trial record.
    expect(api.calls).not.toContain(`GET /api/tuning/${id}`);
    expect(api.outsideTable).toEqual([]);
    await context.close();
    expect(ms).toBeLessThan(INTERACTIVE_MS);
  }, 120_000);
});

describe('a viewer', () => {
  it('has no tuning entry and no tune controls; the API refuses to start a study', async () => {
    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page, viewer.email, viewer.password);
    await page.getByRole('link', { name: 'Models', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Tuning', exact: true }).count()).toBe(0);
    await page.goto('/tuning');
    await page.getByRole('heading', { name: 'Engineers only' }).waitFor();
    expect(await page.getByRole('button', { name: 'Start the study' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const body = { family: 'svm', dataset_id: 'mnist', budget: { trials: 2 } };
    expect((await request(rig.platform.url).post('/api/tuning').set(auth(viewer)).send(body)).status).toBe(403);
    expect((await getAs(rig.platform, viewer, '/api/tuning')).status).toBe(403);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });
});
