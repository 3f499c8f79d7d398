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
    // A guest's first load asks whether there is a session once: without the session marker
    // cookie there is nothing to renew, so no second /me and no refresh.
    await page.goto('/');
    await page.getByRole('heading', { name: 'Read a digit', level: 1 }).waitFor();
    expect(api.calls.filter((c) => c.includes('/api/auth/'))).toEqual(['GET /api/auth/me']);

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

  it('a part of the app that fails to load says so and offers a reload; the rest keeps working', async () => {
    const { context, page, api } = await newContext(rig);
    // The drawing pad's chunk does not arrive (a network blip, or a tab older than the deploy).
    await page.route('**/assets/draw-panel-*.js', (route) => route.abort());
    await page.goto('/');
    await page.getByText('The drawing pad stopped working').waitFor();
    // The upload half of the reader is still there.
    await page.getByRole('heading', { name: 'Read a digit', level: 1 }).waitFor();
    expect(await page.getByLabel('Choose an image file', { exact: true }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    // An admin page's chunk: the page says so instead of going blank, and a reload brings it.
    await signInThroughForm(page);
    await page.route('**/assets/users-page-*.js', (route) => route.abort());
    await page.goto('/admin/users');
    await page.getByText('This part of the page stopped working').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.unroute('**/assets/users-page-*.js');
    await page.getByRole('button', { name: 'Reload the page' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });

  it('an admin reaches every portal page from the navigation, on a phone too, each without axe violations', async () => {
    const { context, page, api } = await newContext(rig, { width: 390 });
    await signInThroughForm(page);
    const pages = [
      { link: 'Dashboard', heading: 'System dashboard', path: '/admin/dashboard' },
      { link: 'Users', heading: 'Users', path: '/admin/users' },
      { link: 'API keys', heading: 'API keys', path: '/admin/api-keys' },
      { link: 'Audit log', heading: 'Audit log', path: '/admin/audit' },
      { link: 'Batch jobs', heading: 'Batch jobs', path: '/batch' },
      { link: 'Read a digit', heading: 'Read a digit', path: '/' },
    ];
    for (const { link, heading, path } of pages) {
      // Below the md breakpoint the navigation sits behind the Menu button.
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
      // This page's own heading: the previous page's h1 would satisfy a bare "any h1".
      await page.getByRole('heading', { name: heading, level: 1, exact: true }).waitFor();
      expect(new URL(page.url()).pathname).toBe(path);
      expect(await seriousA11yViolations(page), `${heading} at 390 px: axe`).toEqual([]);
      expect(await pageScrollWidth(page), `${heading} at 390 px: sideways scroll`).toBeLessThanOrEqual(390);
    }
    await page.getByRole('button', { name: 'Menu' }).click();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue dashboard' }).getAttribute('href')).toBe('/admin/queues');
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });
});
