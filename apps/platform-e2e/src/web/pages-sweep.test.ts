import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createUserWithTemporaryPassword, signInAdmin } from '../harness/sessions';
import { newContext, pageScrollWidth, screenshotsWithoutOverflow, seriousA11yViolations, signInThroughForm, startWebRig, type WebRig } from './web-harness';

/*
 * The pages no feature test owns (sign-in, account, password change, not found, forbidden) and
 * every page's first view as a guest and as an admin: no serious or critical axe violation, no
 * sideways scroll at 390/768/1280 px, and no API call outside the route table.
 */

let rig: WebRig;
beforeAll(async () => {
  rig = await startWebRig();
});
afterAll(async () => {
  await rig?.close();
});

async function checkPage(page: Page, name: string): Promise<void> {
  expect(await seriousA11yViolations(page), `${name}: axe`).toEqual([]);
  expect(await screenshotsWithoutOverflow(page, name), `${name}: overflow`).toEqual([]);
}

describe('every page, as guest and as admin', () => {
  it('guest pages: sign-in and not found; admin pages send a guest to sign in', async () => {
    const { context, page, api } = await newContext(rig);
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in to Inkwell' }).waitFor();
    await checkPage(page, 'sign-in');

    await page.goto('/no-such-page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await checkPage(page, 'not-found');

    await page.goto('/admin/users');
    await page.getByRole('heading', { name: 'Sign in to Inkwell' }).waitFor();
    // A guest's navigation offers the reader and sign-in, nothing of the portal.
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });

  it('a viewer sees no admin links and is told the portal is for administrators', async () => {
    const viewer = await createUser(rig.platform, await signInAdmin(rig.platform), 'viewer');
    const { context, page, api } = await newContext(rig);
    await signInThroughForm(page, viewer.email, viewer.password);
    await checkPage(page, 'account');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Batch jobs' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await page.goto('/admin/audit');
    await page.getByRole('heading', { name: 'Administrators only' }).waitFor();
    await checkPage(page, 'forbidden');
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });

  it('the password change page', async () => {
    const user = await createUserWithTemporaryPassword(rig.platform, await signInAdmin(rig.platform), 'viewer');
    const { context, page, api } = await newContext(rig);
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await checkPage(page, 'change-password');
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });

  it('an admin reaches every portal page from the navigation, on a phone too', async () => {
    const { context, page, api } = await newContext(rig, { width: 390 });
    await signInThroughForm(page);
    for (const name of ['Dashboard', 'Users', 'API keys', 'Audit log', 'Batch jobs', 'Read a digit']) {
      // Below the md breakpoint the navigation sits behind the Menu button.
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      expect(await page.getByRole('link', { name: 'Queue dashboard' }).count()).toBeGreaterThanOrEqual(0);
    }
    expect(await pageScrollWidth(page)).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: 'Menu' }).click();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue dashboard' }).getAttribute('href')).toBe('/admin/queues');
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });
});
