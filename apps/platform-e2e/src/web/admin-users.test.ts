import type { Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiConfig } from '@inkwell/contracts';
import { ADMIN_EMAIL } from '../harness/platform';
import { createUserWithTemporaryPassword, signInAdmin } from '../harness/sessions';
import { newContext, screenshotsWithoutOverflow, seriousA11yViolations, signInThroughForm, startWebRig, type WebRig } from './web-harness';

/*
 * The admin portal's users and API keys pages, driven as an admin would: a user added in the UI
 * signs in elsewhere with the temporary password the dialog showed, and is signed out there when
 * deactivated; an API key created in the UI works until it is revoked in the UI.
 */

let rig: WebRig;
beforeAll(async () => {
  rig = await startWebRig();
});
afterAll(async () => {
  await rig?.close();
});

const signInHeading = (page: Page) => page.getByRole('heading', { name: 'Sign in to Inkwell' });
const usersTable = (page: Page) => page.getByRole('region', { name: 'Users' });
const rowOf = (page: Page, email: string) => usersTable(page).getByRole('row').filter({ hasText: email });

/** Toasts cover the header for a few seconds: screenshots wait for them to go. */
const toastsGone = (page: Page) => expect.poll(() => page.locator('[data-sonner-toast]').count(), { timeout: 15_000 }).toBe(0);

async function openUsers(page: Page): Promise<void> {
  await page.goto('/admin/users');
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  await usersTable(page).waitFor();
}

/** Deactivates or activates `name` through the row's button and the confirm step; waits for the row to say so. */
async function setActiveInUi(page: Page, name: string, email: string, active: boolean): Promise<void> {
  const verb = active ? 'Activate' : 'Deactivate';
  await page.getByRole('button', { name: `${verb} ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `${verb} ${name}?` });
  await dialog.getByRole('button', { name: verb, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await rowOf(page, email).getByText(active ? 'Active' : 'Inactive', { exact: true }).waitFor();
}

describe('admin portal: users', () => {
  it('adds a user who signs in elsewhere, is signed out when deactivated, and can sign in again once activated', async () => {
    const admin = await newContext(rig);
    await signInThroughForm(admin.page);
    await openUsers(admin.page);
    expect(await seriousA11yViolations(admin.page)).toEqual([]);

    const name = 'Grace Hopper';
    const email = `grace-${Date.now()}@e2e.test`;
    await admin.page.getByRole('button', { name: 'Add user' }).click();
    const dialog = admin.page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Email', { exact: true }).fill(email);
    // An admin, so the user can sit on a page that asks the API (the users list) when deactivated.
    await dialog.getByLabel('Role', { exact: true }).selectOption('admin');
    expect(await seriousA11yViolations(admin.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Create user' }).click();

    const created = admin.page.getByRole('dialog', { name: 'User created' });
    const temporary = (await created.getByTestId('temporary-password').innerText()).trim();
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await created.getByText('will not be shown again').waitFor();
    await created.getByText('must change it at their first sign-in').waitFor();
    expect(await created.getByRole('button', { name: 'Copy password' }).count()).toBe(1);
    expect(await seriousA11yViolations(admin.page)).toEqual([]);
    await created.getByRole('button', { name: 'Done' }).click();
    await created.waitFor({ state: 'detached' });
    expect(await admin.page.content()).not.toContain(temporary);
    await rowOf(admin.page, email).waitFor();

    // Another browser: the new user signs in with the temporary password and must choose their own.
    const user = await newContext(rig);
    await user.page.goto('/sign-in');
    await user.page.getByLabel('Email').fill(email);
    await user.page.getByLabel('Password', { exact: true }).fill(temporary);
    await user.page.getByRole('button', { name: 'Sign in' }).click();
    await user.page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    const chosen = 'graces-own-password-1906';
    await user.page.getByLabel('Current password').fill(temporary);
    await user.page.getByLabel('New password', { exact: true }).fill(chosen);
    await user.page.getByLabel('Repeat new password').fill(chosen);
    await user.page.getByRole('button', { name: 'Save password' }).click();
    await user.page.getByRole('heading', { name: 'Your account' }).waitFor();
    await openUsers(user.page);

    // Deactivated: the user's next action (a search asks the API) answers 401 and signs them out.
    await setActiveInUi(admin.page, name, email, false);
    await user.page.getByLabel('Search name or email').fill('grace');
    await signInHeading(user.page).waitFor();
    expect(new URL(user.page.url()).pathname).toBe('/sign-in');
    // The server agrees: the old session is gone, and the password no longer signs in.
    expect(await user.page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
    expect((await request(rig.platform.url).post('/api/auth/login').send({ email, password: chosen })).status).toBe(401);

    // Activated again: the same password signs in.
    await setActiveInUi(admin.page, name, email, true);
    await signInThroughForm(user.page, email, chosen);

    // Deactivated while only looking at a page: the periodic check (here: the window regaining focus) signs them out.
    await setActiveInUi(admin.page, name, email, false);
    await user.page.evaluate("window.dispatchEvent(new Event('focus'))");
    await signInHeading(user.page).waitFor();

    expect(admin.api.outsideTable).toEqual([]);
    expect(user.api.outsideTable).toEqual([]);
    await user.context.close();
    await admin.context.close();
  });

  it('edits a user, and the role filter, the status filter and the search narrow the table', async () => {
    const adminSession = await signInAdmin(rig.platform);
    const tag = Date.now().toString(36);
    const engineer = await createUserWithTemporaryPassword(rig.platform, adminSession, 'engineer', `eng-${tag}@e2e.test`);
    const viewer = await createUserWithTemporaryPassword(rig.platform, adminSession, 'viewer', `view-${tag}@e2e.test`);
    const deactivated = await request(rig.platform.url).post(`/api/admin/users/${viewer.userId}/deactivate`).set('Authorization', `Bearer ${adminSession.access}`);
    expect(deactivated.status).toBe(200);

    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page);
    await openUsers(page);
    const rows = () => usersTable(page).locator('tbody tr');
    const emails = async () => (await rows().allInnerTexts()).map((r) => r.match(/\S+@e2e\.test/)?.[0] ?? '');

    await page.getByLabel('Role', { exact: true }).selectOption('engineer');
    await expect.poll(emails).not.toContain(ADMIN_EMAIL);
    expect(await emails()).toContain(engineer.email);
    expect(await emails()).not.toContain(viewer.email);

    await page.getByLabel('Role', { exact: true }).selectOption('');
    await page.getByLabel('Status', { exact: true }).selectOption('inactive');
    await expect.poll(emails).not.toContain(ADMIN_EMAIL);
    expect(await emails()).toContain(viewer.email);
    expect(await emails()).not.toContain(engineer.email);

    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Search name or email').fill(`eng-${tag}`);
    await expect.poll(emails).toEqual([engineer.email]);
    await page.getByRole('status').filter({ hasText: '1–1 of 1 users' }).waitFor();

    // Edit: the new name and role show in the row (the list is fetched again).
    await page.getByRole('button', { name: 'Edit engineer user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit engineer user' });
    await dialog.getByLabel('Name', { exact: true }).fill('Edsger Dijkstra');
    await dialog.getByLabel('Role', { exact: true }).selectOption('viewer');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = rowOf(page, engineer.email);
    await row.getByText('Edsger Dijkstra').waitFor();
    await row.getByText('Viewer', { exact: true }).waitFor();

    await page.getByLabel('Search name or email').fill('');
    await expect.poll(async () => (await emails()).length).toBeGreaterThan(2);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await toastsGone(page);
    expect(await screenshotsWithoutOverflow(page, 'admin-users')).toEqual([]);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });
});

describe('admin portal: API keys and API configuration', () => {
  it('creates a key whose secret shows once and works, revokes it, and shows how to call the API', async () => {
    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page);
    await page.goto('/admin/api-keys');
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'API configuration' }).waitFor();

    // The configuration section shows what auth's GET /api/admin/api-config answers (the route the gateway serves).
    const adminSession = await signInAdmin(rig.platform);
    const config = ApiConfig.parse((await request(rig.platform.url).get('/api/admin/api-config').set('Authorization', `Bearer ${adminSession.access}`)).body);
    await page.getByTestId('api-endpoint').filter({ hasText: config.endpoint }).waitFor();
    await page.getByText(`${config.rate_limits.guest_per_min} requests per minute`, { exact: true }).first().waitFor();
    await page.getByText(config.env_api_key_configured ? 'Configured' : 'Not configured', { exact: true }).waitFor();
    const curl = page.locator('pre').filter({ hasText: '$INKWELL_API_KEY' }).first();
    expect(await curl.innerText()).toContain(`${config.endpoint.replace(/\/+$/, '')}/v1/read`);
    expect(await page.locator('pre').filter({ hasText: 'await fetch(' }).count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByRole('link', { name: 'Full API reference' }).getAttribute('href')).toBe('/api/docs');
    expect(await seriousA11yViolations(page)).toEqual([]);

    const name = `Scanner ${Date.now()}`;
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const created = page.getByRole('dialog', { name: 'API key created' });
    const secret = (await created.getByTestId('api-key-secret').innerText()).trim();
    expect(secret.length).toBeGreaterThan(20);
    await created.getByText('Copy it now: Inkwell stores only a hash and cannot show it again').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await created.getByRole('button', { name: 'Done' }).click();
    await created.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);

    const row = page.getByRole('region', { name: 'API keys' }).getByRole('row').filter({ hasText: name });
    await row.getByText('Active', { exact: true }).waitFor();
    await row.getByText('Administrator').waitFor();
    // A signed-in route (a guest gets 401 there): 200 only because the key authenticates.
    const withKey = () => request(rig.platform.url).get('/api/batch').set('X-API-Key', secret);
    expect((await request(rig.platform.url).get('/api/batch')).status).toBe(401);
    expect((await withKey()).status).toBe(200);

    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    const confirm = page.getByRole('dialog', { name: `Revoke ${name}?` });
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await confirm.waitFor({ state: 'detached' });
    await row.getByText('Revoked', { exact: true }).waitFor();
    // Revocation reaches the gateway's key cache by a push: a round trip, not the cache's TTL.
    await expect.poll(async () => (await withKey()).status, { timeout: 5_000 }).toBe(401);

    await toastsGone(page);
    expect(await screenshotsWithoutOverflow(page, 'admin-api-keys')).toEqual([]);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });
});
