import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { matchRoute } from '@inkwell/contracts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startPlatform, type Platform, type PlatformOptions } from '../harness/platform';

/*
 * What every browser test shares: a production build of the web app (one per set of inputs, in a
 * folder of its own that no test writes to), the platform serving it, Chromium,
 * and three checks every page must pass: no API call outside the route table, no serious or
 * critical axe-core violation, no horizontal overflow at phone, tablet and desktop widths.
 */

export const CHROMIUM = '/usr/bin/chromium';
const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** Screenshots land here; committed ones are refreshed with UPDATE_SCREENSHOTS=1. */
export const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS === '1' ? join(REPO_ROOT, 'docs/screenshots') : join(tmpdir(), 'inkwell-web-e2e');
export const WIDTHS = [390, 768, 1280] as const;

/** What a web build is made from: the app, the libs it bundles, the locked dependencies. */
const BUILD_INPUTS = ['apps/web', 'libs', 'package-lock.json'];
const BUILD_CACHE = join(tmpdir(), 'inkwell-web-dist');

/** Files no bundle holds: an edit to one must not cost a rebuild. */
const NOT_BUNDLED = /(\.test\.tsx?|\.md)$/;

/** Every file of `path` (a file or a folder, without node_modules, dist, dot entries, tests or prose), sorted. */
function inputFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== 'dist' && !NOT_BUNDLED.test(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => inputFiles(join(path, e.name)));
}

/** A hash of every build input's path and bytes: equal hashes build the same app. */
function buildKey(): string {
  const hash = createHash('sha256');
  for (const file of BUILD_INPUTS.flatMap((p) => inputFiles(join(REPO_ROOT, p)))) hash.update(`${relative(REPO_ROOT, file)}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** Builds made more than an hour ago from other inputs (~15 MB each): a run of the tests takes minutes. */
function pruneOldBuilds(keep: string): void {
  const before = Date.now() - 3_600_000;
  for (const name of readdirSync(BUILD_CACHE)) {
    const path = join(BUILD_CACHE, name);
    if (path === keep || name.includes('.')) continue; // `.lock` and `.staging-*` belong to builds under way
    if ((statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) < before) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Builds the web app exactly as `npm run build:web` does, in its own process: Vite reads NODE_ENV
 * from the environment, and under the test runner (NODE_ENV=test) it would build development JSX.
 * One build per set of inputs, shared read-only by every browser test file (each used to build its
 * own: 10 s and more apiece on two cores); files starting together wait on one lock instead of
 * building twice, and a build lands under its final name only once complete.
 */
export async function buildWeb(): Promise<string> {
  const outDir = join(BUILD_CACHE, buildKey());
  const lock = `${outDir}.lock`;
  mkdirSync(BUILD_CACHE, { recursive: true });
  for (const started = Date.now(); !existsSync(join(outDir, 'index.html')); ) {
    if (Date.now() - started > 300_000) throw new Error(`web build: timed out waiting for ${lock}`);
    try {
      mkdirSync(lock);
    } catch {
      // Another test file builds it; a lock older than 5 minutes belongs to a process that died.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 300_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    const staging = `${outDir}.staging-${process.pid}`;
    try {
      const viteBin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
      await promisify(execFile)(process.execPath, [viteBin, 'build', '--config', join(WEB_DIR, 'vite.config.ts'), '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn'], {
        env: { ...process.env, NODE_ENV: 'production' },
      });
      renameSync(staging, outDir);
      pruneOldBuilds(outDir);
    } finally {
      rmSync(staging, { recursive: true, force: true });
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return outDir;
}

export interface WebRig {
  readonly platform: Platform;
  readonly browser: Browser;
  readonly distDir: string;
  close(): Promise<void>;
}

/** The platform serving a fresh build of the web app, and a headless Chromium. */
export async function startWebRig(opts: PlatformOptions = {}): Promise<WebRig> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser test needs Debian's Chromium. Install it with \`apt-get install -y chromium\` (as root).`);
  }
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const distDir = await buildWeb();
  // Every test context is a fresh browser without a cache, all from one address: the model-file
  // budget meant for one visitor's repeat fetches would refuse the second test's live drawing.
  const platform = await startPlatform({ ...opts, env: { WEB_DIST_DIR: distDir, RATE_LIMIT_MODEL_FILES: '1000', ...opts.env } });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    platform,
    browser,
    distDir,
    async close() {
      await browser.close();
      await platform.close();
    },
  };
}

/** Every API request a page made that the route table does not have ("METHOD /path"). */
export interface ApiCallLog {
  readonly calls: string[];
  readonly outsideTable: string[];
}

/**
 * Records every request to `/api/` or `/v1/` the pages of `context` make and checks each against
 * the route table (`matchRoute`), so a page calling an unrouted path fails its test.
 */
export function recordApiCalls(context: BrowserContext): ApiCallLog {
  const log: ApiCallLog = { calls: [], outsideTable: [] };
  context.on('request', (req) => {
    const url = new URL(req.url());
    if (!/^\/(api|v1)\//.test(url.pathname)) return;
    const call = `${req.method()} ${url.pathname}`;
    log.calls.push(call);
    if (!matchRoute(req.method(), url.pathname)) log.outsideTable.push(call);
  });
  return log;
}

/** A context for the rig's platform, recording its API calls. */
export async function newContext(rig: WebRig, options: { readonly width?: number; readonly permissions?: string[] } = {}): Promise<{ context: BrowserContext; page: Page; api: ApiCallLog }> {
  const context = await rig.browser.newContext({ baseURL: rig.platform.url, viewport: { width: options.width ?? 1280, height: 900 }, ...(options.permissions ? { permissions: options.permissions } : {}) });
  const api = recordApiCalls(context);
  const page = await context.newPage();
  return { context, page, api };
}

/**
 * Signs in through the form; resolves once the account page shows. A sign-in that does not get
 * there says why: whether the form's request went out, what it answered, and what the page shows
 * (a CI run once timed out here with nothing more to go on).
 */
export async function signInThroughForm(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  try {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/auth/login'),
      page.getByRole('button', { name: /^Sign(ing)? in/ }).click(),
    ]);
    if (res.status() !== 200) throw new Error(`POST /api/auth/login answered ${res.status()}: ${await res.text()}`);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
  } catch (e) {
    const shown = await page
      .locator('body')
      .innerText({ timeout: 1_000 })
      .catch(() => '(unreadable)');
    throw new Error(`sign-in as ${email} did not reach the account page (at ${page.url()}; the page shows: ${JSON.stringify(shown.slice(0, 400))})`, { cause: e });
  }
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface RawViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: unknown }[];
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/** axe-core's serious and critical violations (WCAG 2.1 A and AA rules) on the page as it is now. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated over the DevTools protocol, which the page's CSP does not govern (an injected
  // <script> tag would be refused, as it should be); the CSP stays on for everything else.
  await page.evaluate(AXE_SOURCE);
  // A string, not a function: this file compiles without the DOM's types (it runs in node).
  const violations = await page.evaluate<RawViolation[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations)`,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
}

/** The document's scroll width (wider than the viewport: the page scrolls sideways). */
export const pageScrollWidth = (page: Page): Promise<number> => page.evaluate<number>('document.documentElement.scrollWidth');

/**
 * At each of 390, 768 and 1280 px wide: the page must not scroll sideways (its scrollWidth fits
 * the viewport) and gets a full-page screenshot `<name>-<width>.png`. Answers the widths that overflowed.
 */
export async function screenshotsWithoutOverflow(page: Page, name: string): Promise<{ width: number; scrollWidth: number }[]> {
  const overflowing: { width: number; scrollWidth: number }[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    // Let layout settle (media queries, charts measuring their box) before measuring.
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const scrollWidth = await pageScrollWidth(page);
    if (scrollWidth > width) overflowing.push({ width, scrollWidth });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return overflowing;
}
