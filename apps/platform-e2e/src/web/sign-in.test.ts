import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startPlatform, type Platform } from '../harness/platform';
import { createUserWithTemporaryPassword, signInAdmin } from '../harness/sessions';
import { buildWeb } from './web-harness';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(tmpdir(), 'inkwell-web-e2e');
/** Failed sign-ins one account may make before the server answers 429 (low, so the test reaches it). */
const MAX_FAILURES = 2;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

let platform: Platform;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser test needs Debian's Chromium. Install it with \`apt-get install -y chromium\` (as root).`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  const distDir = await buildWeb();
  platform = await startPlatform({ env: { WEB_DIST_DIR: distDir, LOGIN_MAX_FAILURES_PER_ACCOUNT: String(MAX_FAILURES) } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

beforeEach(async () => {
  context = await browser.newContext({ baseURL: platform.url });
  page = await context.newPage();
});

afterEach(async () => {
  await context.close();
});

const emailField = () => page.getByLabel('Email');
const passwordField = () => page.getByLabel('Password', { exact: true });
const signInButton = () => page.getByRole('button', { name: /^Sign(ing)? in/ });
const accountHeading = () => page.getByRole('heading', { name: 'Your account' });
const alertText = async () => (await page.getByRole('alert').innerText()).trim();
const meStatus = () => page.evaluate(async () => (await fetch('/api/auth/me', { credentials: 'same-origin' })).status);

async function submitSignIn(email: string, password: string): Promise<void> {
  await emailField().fill(email);
  await passwordField().fill(password);
  await signInButton().click();
}

/** The account panel as label -> value, read from the page the user sees. */
async function accountDetails(): Promise<Record<string, string>> {
  const labels = await page.locator('.account dt').allInnerTexts();
  const values = await page.locator('.account dd').allInnerTexts();
  return Object.fromEntries(labels.map((l, i) => [l.trim(), (values[i] ?? '').trim()]));
}

describe('web sign-in', () => {
  it('shows the sign-in form at / with labelled fields', async () => {
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in to Inkwell' }).waitFor();
    expect(await emailField().getAttribute('type')).toBe('email');
    expect(await passwordField().getAttribute('type')).toBe('password');
    expect(await signInButton().isEnabled()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png') });
  });

  it('disables the button while signing in and shows the server message for a wrong password', async () => {
    await page.goto('/sign-in');
    const held = deferred();
    await page.route('**/api/auth/login', async (route) => {
      await held.promise;
      await route.continue();
    });
    const answer = page.waitForResponse('**/api/auth/login');
    await submitSignIn(ADMIN_EMAIL, 'not-the-password');
    await page.getByRole('button', { name: 'Signing in…' }).waitFor();
    expect(await signInButton().isDisabled()).toBe(true);
    held.resolve();

    const res = await answer;
    expect(res.status()).toBe(401);
    const body = (await res.json()) as { message: string };
    await page.getByRole('alert').filter({ hasText: body.message }).waitFor();
    expect(await alertText()).toBe(body.message);
    expect(await signInButton().isEnabled()).toBe(true);
    expect(await accountHeading().count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in-error.png') });
  });

  it('says when to try again once the server rate-limits sign-in', async () => {
    await page.goto('/sign-in');
    const email = 'nobody@e2e.test';
    for (let i = 0; i < MAX_FAILURES; i++) {
      const failed = page.waitForResponse('**/api/auth/login');
      await submitSignIn(email, 'wrong-password');
      expect((await failed).status()).toBe(401);
      await signInButton().and(page.locator(':enabled')).waitFor();
    }
    const limited = page.waitForResponse('**/api/auth/login');
    await submitSignIn(email, 'wrong-password');
    const res = await limited;
    expect(res.status()).toBe(429);
    const retryAfter = Number(res.headers()['retry-after']);
    expect(retryAfter).toBeGreaterThan(60);
    const minutes = Math.ceil(retryAfter / 60);
    await page.getByRole('alert').filter({ hasText: 'You can retry' }).waitFor();
    const text = await alertText();
    expect(text).toContain(((await res.json()) as { message: string }).message);
    expect(text).toMatch(new RegExp(`You can retry at \\d{1,2}:\\d{2}.* \\(in ${minutes} minutes\\)\\.$`));
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in-rate-limited.png') });
  });

  it('signs in, keeps the session across reloads and an expired access cookie, and signs out for real', async () => {
    await page.goto('/sign-in');
    await submitSignIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await accountHeading().waitFor();
    expect(await accountDetails()).toEqual({ Name: 'Administrator', Email: ADMIN_EMAIL, Role: 'admin' });
    await page.screenshot({ path: join(SCREENSHOTS, 'shell.png') });

    await page.reload();
    await accountHeading().waitFor();
    expect((await accountDetails()).Email).toBe(ADMIN_EMAIL);

    // An expired access cookie is simply gone from the jar; the refresh cookie renews the session.
    await context.clearCookies({ name: 'inkwell_access' });
    await page.reload();
    await accountHeading().waitFor();
    expect((await context.cookies()).map((c) => c.name)).toContain('inkwell_access');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Inkwell' }).waitFor();
    expect(await meStatus()).toBe(401);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Inkwell' }).waitFor();
    expect(await accountHeading().count()).toBe(0);
  });

  it('says the server refused, not that it is down, when the first call is rate-limited', async () => {
    await page.route('**/api/auth/me', (route) =>
      route.fulfill({ status: 429, headers: { 'retry-after': '14', 'content-type': 'application/json' }, body: JSON.stringify({ code: 'rate_limited', message: 'Rate limit exceeded', request_id: 'r1' }) }),
    );
    await page.goto('/');
    await page.getByRole('heading', { name: 'Too many requests' }).waitFor();
    expect(await alertText()).toBe('Rate limit exceeded. You can retry in 14 seconds.');
  });

  it('names the day of a retry more than a day ahead', async () => {
    const days = 3;
    await page.route('**/api/auth/me', (route) =>
      route.fulfill({ status: 429, headers: { 'retry-after': String(days * 86_400), 'content-type': 'application/json' }, body: JSON.stringify({ code: 'rate_limited', message: 'Rate limit exceeded', request_id: 'r2' }) }),
    );
    await page.goto('/');
    await page.getByRole('heading', { name: 'Too many requests' }).waitFor();
    const year = String(new Date(Date.now() + days * 86_400_000).getFullYear());
    expect(await alertText()).toMatch(new RegExp(`You can retry at .*${year}.* \\(in ${days * 1440} minutes\\)`));
  });

  it('names the field the server refused', async () => {
    await page.goto('/sign-in');
    // The browser's own email check lets `a@b` through; the server's does not.
    const refused = page.waitForResponse('**/api/auth/login');
    await submitSignIn('a@b', 'whatever-password');
    expect((await refused).status()).toBe(400);
    await page.getByRole('alert').filter({ hasText: 'email' }).waitFor();
    expect(await alertText()).toMatch(/email: .*email/i);
  });

  it('keeps two tabs signed in when both renew an expired session at once', async () => {
    await page.goto('/sign-in');
    await submitSignIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await accountHeading().waitFor();
    const second = await context.newPage();
    await second.goto('/account');
    await second.getByRole('heading', { name: 'Your account' }).waitFor();

    // Both tabs find the access cookie gone (expired) and renew at the same moment, on a slow link
    // so that the two renewals overlap.
    await context.clearCookies({ name: 'inkwell_access' });
    await context.route('**/api/auth/refresh', async (route) => {
      await new Promise((r) => setTimeout(r, 300));
      await route.continue();
    });
    await Promise.all([page.reload(), second.reload()]);
    await accountHeading().waitFor();
    await second.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.reload();
    await accountHeading().waitFor();
    expect(await meStatus()).toBe(200);
  });

  it('returns to signing in when the session ends while the password form is open', async () => {
    const admin = await signInAdmin(platform);
    const user = await createUserWithTemporaryPassword(platform, admin, 'viewer');
    await page.goto('/sign-in');
    await submitSignIn(user.email, user.password);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    const deactivated = await fetch(`${platform.url}/api/admin/users/${user.userId}/deactivate`, { method: 'POST', headers: { authorization: `Bearer ${admin.access}` } });
    expect(deactivated.status).toBe(200);

    await page.getByLabel('Current password').fill(user.password);
    await page.getByLabel('New password', { exact: true }).fill('a-long-enough-password-42');
    await page.getByLabel('Repeat new password').fill('a-long-enough-password-42');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByRole('heading', { name: 'Sign in to Inkwell' }).waitFor();
  });

  it('asks a user with an administrator-set password for a new one before showing the shell', async () => {
    const user = await createUserWithTemporaryPassword(platform, await signInAdmin(platform), 'viewer');
    await page.goto('/sign-in');
    await submitSignIn(user.email, user.password);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(await accountHeading().count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'change-password.png') });

    const changes: string[] = [];
    page.on('request', (r) => r.url().endsWith('/api/auth/password') && changes.push(r.method()));
    const newPassword = () => page.getByLabel('New password', { exact: true });
    await page.getByLabel('Current password').fill(user.password);
    await newPassword().fill('short');
    await page.getByLabel('Repeat new password').fill('short');
    await page.getByRole('button', { name: 'Save password' }).click();
    // The browser's own minLength check stops a too-short password before any request.
    expect(await newPassword().and(page.locator(':invalid')).count()).toBe(1);

    const chosen = 'a-long-enough-password-42';
    await newPassword().fill(chosen);
    await page.getByLabel('Repeat new password').fill(chosen);
    await page.getByRole('button', { name: 'Save password' }).click();
    await accountHeading().waitFor();
    expect(changes).toEqual(['POST']);
    expect(await accountDetails()).toMatchObject({ Email: user.email, Role: 'viewer' });

    await page.reload();
    await accountHeading().waitFor();
    const again = await fetch(`${platform.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password: chosen }) });
    expect(again.status).toBe(200);
  });
});
