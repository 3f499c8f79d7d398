import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_CSV_COLUMNS, AuditLogPage, ReadResponse } from '@inkwell/contracts';
import { mnistTestFile } from '../harness/models';
import { createUserWithTemporaryPassword, signInAdmin, type Session } from '../harness/sessions';
import { newContext, screenshotsWithoutOverflow, seriousA11yViolations, signInThroughForm, startWebRig, type WebRig } from './web-harness';

/*
 * The admin's system dashboard and audit log, driven as an admin would (issue 26, done-when 2):
 * the dashboard shows a new read within 6 s; the audit log filters, exports the same rows, shows a
 * new event in the live tail without a reload, and verifies its hash chain.
 */

/** The dashboard's promise: a read shows within this long. */
const DASHBOARD_DELAY_MS = 6_000;

let rig: WebRig;
let admin: Session;
beforeAll(async () => {
  // The stats stream runs at its default interval (AUDIT_STATS_STREAM_INTERVAL_MS, 5 s). Inference
  // counts reads per caller per window and writes each ended window as one audit event: its
  // production window is a minute, so the test uses the 1 s window the config allows for tests.
  rig = await startWebRig({ env: { INFERENCE_AUDIT_WINDOW_S: '1', INFERENCE_AUDIT_FLUSH_MS: '100' } });
  admin = await signInAdmin(rig.platform);
}, 300_000);
afterAll(async () => {
  await rig?.close();
});

/** MNIST test digit `index` as a scanner would give it: black ink on white, 8x larger. */
async function mnistPng(index: number): Promise<Buffer> {
  const { pixels } = mnistTestFile();
  const raw = Buffer.from(pixels.subarray(index * 784, (index + 1) * 784));
  return sharp(raw, { raw: { width: 28, height: 28, channels: 1 } }).negate().resize(224, 224, { kernel: 'nearest' }).png().toBuffer();
}

const numberIn = async (l: Locator): Promise<number> => Number((await l.innerText()).replace(/\D/g, ''));

/** Polls `read` every 50 ms until it gives `want`; answers how long that took, or throws after `ms`. */
async function msUntil(read: () => Promise<string>, want: (v: string) => boolean, ms: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (want(await read())) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms; last value: ${await read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One RFC 4180 CSV document: quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Failed sign-ins recorded for `email`, once the audit service has stored at least `n` of them. */
async function untilStored(email: string, n: number): Promise<void> {
  for (const start = Date.now(); Date.now() - start < 15_000; await new Promise((r) => setTimeout(r, 100))) {
    const res = await request(rig.platform.url).get('/api/admin/audit-logs').query({ action: 'auth.login', result: 'failure', actor: email }).set('Authorization', `Bearer ${admin.access}`);
    if (res.status === 200 && AuditLogPage.parse(res.body).items.length >= n) return;
  }
  throw new Error(`${n} failed sign-ins of ${email} not in the audit log within 15 s`);
}

const failSignIn = (email: string) => request(rig.platform.url).post('/api/auth/login').send({ email, password: 'not-the-password' }).expect(401);

const auditRows = (page: Page) => page.getByRole('region', { name: 'Audit events', exact: true }).locator('tbody tr[data-seq]');
const seqsOf = async (page: Page): Promise<number[]> => (await auditRows(page).evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))))).filter((n) => n > 0);

describe('admin portal: system dashboard', () => {
  it('shows today\'s numbers live: a new read appears within 6 s; charts with their numbers as tables', async () => {
    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page);
    await page.goto('/admin/dashboard');
    await page.getByRole('heading', { name: 'System dashboard', level: 1 }).waitFor();
    await page.getByRole('status').getByText('Live', { exact: true }).waitFor();
    const tile = page.getByRole('region', { name: 'Images today' }).getByTestId('tile-value');
    const updated = page.getByText(/^Updated at /);

    // Two pushes, to see the stream's interval is the default, then read right after a push: the
    // worst case, a whole interval to wait (a read just before a push would show sooner).
    const stamp = () => updated.innerText();
    const first = await stamp();
    await msUntil(stamp, (v) => v !== first, 7_000);
    const second = await stamp();
    const interval = await msUntil(stamp, (v) => v !== second, 7_000);
    console.log(`stats stream: a push every ${interval} ms (seen in the page)`);
    expect(interval).toBeGreaterThan(4_000);

    const before = await numberIn(tile);
    const sent = Date.now();
    const res = await request(rig.platform.url).post('/v1/read').set('Authorization', `Bearer ${admin.access}`).attach('file', await mnistPng(0), { filename: 'digit.png', contentType: 'image/png' });
    expect(res.status).toBe(200);
    ReadResponse.parse(res.body);
    const after = await msUntil(async () => String(await numberIn(tile)), (v) => Number(v) === before + 1, 15_000);
    const delay = Date.now() - sent;
    console.log(`dashboard: "Images today" went from ${before} to ${before + 1} ${delay} ms after the read was sent (${after} ms after it was answered)`);
    expect(delay).toBeLessThanOrEqual(DASHBOARD_DELAY_MS);
    expect(await page.getByRole('region', { name: 'Success rate' }).innerText()).toMatch(/%/);

    // The charts load lazily; each has a name and a table of its numbers.
    const daily = page.getByRole('img', { name: /images processed and errors per day, last 7 days/ });
    await daily.locator('svg.recharts-surface').first().waitFor();
    await page.getByRole('img', { name: /per minute over the last hour/ }).locator('svg.recharts-surface').first().waitFor();
    const dailyNumbers = page.getByRole('region', { name: 'Images and errors per day, last 7 days' });
    await page.getByText('Show the numbers').first().click();
    await expect.poll(() => dailyNumbers.locator('tbody tr').count()).toBe(7);
    expect(await dailyNumbers.locator('tbody tr').last().locator('td').nth(1).innerText()).toBe(String(before + 1));
    await page.getByRole('button', { name: '30 days' }).click();
    expect(await page.getByRole('button', { name: '30 days' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('img', { name: /last 30 days/ }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Images and errors per day, last 30 days' }).locator('tbody tr').count()).toBe(30);

    expect(await seriousA11yViolations(page)).toEqual([]);
    // The screenshots show the page as it opens: the numbers folded away again.
    await page.getByText('Show the numbers').first().click();
    await dailyNumbers.waitFor({ state: 'hidden' });
    expect(await screenshotsWithoutOverflow(page, 'admin-dashboard')).toEqual([]);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });
});

describe('admin portal: audit log', () => {
  it('filters (kept in the URL), exports the same rows, tails new events live and verifies the chain', async () => {
    const stranger = `stranger-${Date.now()}@e2e.test`;
    for (let i = 0; i < 3; i++) await failSignIn(stranger);
    await untilStored(stranger, 3);

    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page);
    await page.goto('/admin/audit');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await auditRows(page).first().waitFor();

    // Filter: failed sign-ins (an action prefix and a result).
    await page.getByLabel('Action').fill('auth.login*');
    await page.getByLabel('Result').selectOption('failure');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('action') === 'auth.login*' && url.searchParams.get('result') === 'failure');
    // Until the filtered page has loaded, the rows are the unfiltered ones (api.call among them) or none.
    await expect
      .poll(async () => {
        const shownActions = await auditRows(page).locator('td:nth-child(3)').allInnerTexts();
        return shownActions.length >= 3 && shownActions.every((a) => a === 'auth.login');
      })
      .toBe(true);
    const actions = await auditRows(page).locator('td:nth-child(3)').allInnerTexts();
    const results = await auditRows(page).locator('td:nth-child(5)').allInnerTexts();
    expect(actions.length).toBeGreaterThanOrEqual(3);
    expect(new Set(actions)).toEqual(new Set(['auth.login']));
    expect(new Set(results)).toEqual(new Set(['Failure']));
    expect(await auditRows(page).filter({ hasText: stranger }).count()).toBe(3);
    // The table shows exactly what the API answers for these filters.
    const shown = await seqsOf(page);
    const apiPage = AuditLogPage.parse((await request(rig.platform.url).get('/api/admin/audit-logs').query({ action: 'auth.login*', result: 'failure' }).set('Authorization', `Bearer ${admin.access}`).expect(200)).body);
    expect(shown).toEqual(apiPage.items.map((e) => e.seq));

    // A reload (or a shared link) keeps the filters.
    await page.reload();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    expect(await page.getByLabel('Action').inputValue()).toBe('auth.login*');
    expect(await page.getByLabel('Result').inputValue()).toBe('failure');
    await auditRows(page).first().waitFor();
    expect(await seqsOf(page)).toEqual(shown);

    // The keyword field says it needs 3 characters.
    expect(await page.getByText('At least 3 characters').count()).toBe(1);

    // Export: the same filters, the header, then the table's rows in the same order.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const path = await file.path();
    const [header, ...rows] = parseCsv(await readFile(path, 'utf8'));
    expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
    const col = (name: (typeof AUDIT_CSV_COLUMNS)[number]) => AUDIT_CSV_COLUMNS.indexOf(name);
    expect(rows.slice(0, shown.length).map((r) => Number(r[col('seq')]))).toEqual(shown);
    expect(rows.every((r) => r[col('action')] === 'auth.login' && r[col('result')] === 'failure')).toBe(true);

    // An event stored after the page loaded but before the tail starts: the tail starts "now", so
    // the page reads its first page again once the tail is open, or this event would be in neither list.
    const between = `between-${Date.now()}@e2e.test`;
    await failSignIn(between);
    await untilStored(between, 1);
    expect(await auditRows(page).filter({ hasText: between }).count()).toBe(0);

    // Live tail: a user signs in (a success: filtered out), then fails to; only the failure arrives.
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.getByRole('button', { name: 'Live tail' }).click();
    expect(await page.getByRole('button', { name: 'Live tail' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByText('Live: new matching events appear at the top.').waitFor();
    await auditRows(page).filter({ hasText: between }).waitFor({ timeout: 10_000 });
    const other = await createUserWithTemporaryPassword(rig.platform, admin, 'viewer');
    const caused = Date.now();
    await failSignIn(other.email);
    const newRow = auditRows(page).filter({ hasText: other.email });
    await newRow.waitFor({ timeout: 10_000 });
    console.log(`audit live tail: the new event showed ${Date.now() - caused} ms after the failed sign-in`);
    // One row: the user's successful sign-in, stored before the failure, does not match `result=failure`.
    expect(await newRow.count()).toBe(1);
    expect(await newRow.locator('td:nth-child(5)').innerText()).toBe('Failure');
    expect(await newRow.getByText('New', { exact: true }).count()).toBe(1);
    expect(await auditRows(page).first().getAttribute('data-seq')).toBe(await newRow.getAttribute('data-seq'));
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.getByRole('status').filter({ hasText: '1 new event since the live tail started' }).waitFor();

    // Details expand in place.
    await newRow.getByText('Show', { exact: true }).click();
    await newRow.getByText('"reason"').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Verify: the chain is intact.
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByRole('status').filter({ hasText: 'The audit log is intact' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'The audit log is intact' }).innerText()).toMatch(/^The audit log is intact: [\d,]+ events checked \(seq \d+ to \d+\)\.$/);

    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await screenshotsWithoutOverflow(page, 'admin-audit')).toEqual([]);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });
});
