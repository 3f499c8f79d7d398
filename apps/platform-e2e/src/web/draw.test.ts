import type { BrowserContext, CDPSession, Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadResponse } from '@inkwell/contracts';
import { recordApiCalls, screenshotsWithoutOverflow, seriousA11yViolations, startWebRig, type ApiCallLog, type WebRig } from './web-harness';

/*
 * "Draw a digit" on the reader: the guess computed in the browser (onnxruntime-web, the served
 * model, the server's preprocessing) appears while the stroke is still being drawn, and equals the
 * server's answer for the same drawing's PNG in every probability.
 */

/** The canvas's backing store (and the coordinates below): 256x256. */
const SIDE = 256;
const TOLERANCE = 1e-4;
const LIVE_TIMEOUT_MS = 90_000;

type Point = readonly [number, number];
type Drawing = readonly (readonly Point[])[];

const ellipse = (cx: number, cy: number, rx: number, ry: number, n = 24): Point[] =>
  Array.from({ length: n + 1 }, (_, i) => [cx + rx * Math.sin((2 * Math.PI * i) / n), cy - ry * Math.cos((2 * Math.PI * i) / n)] as const);

/** Digits as strokes in canvas pixels, drawn with a ~16 px pen like MNIST's writers'. */
const DRAWINGS: Readonly<Record<string, Drawing>> = {
  seven: [
    [
      [70, 60],
      [190, 60],
      [120, 210],
    ],
  ],
  one: [
    [
      [105, 80],
      [132, 45],
      [128, 215],
    ],
  ],
  four: [
    [
      [150, 45],
      [75, 160],
      [200, 160],
    ],
    [
      [165, 95],
      [165, 220],
    ],
  ],
  zero: [ellipse(128, 128, 55, 85)],
};

let rig: WebRig;
beforeAll(async () => {
  rig = await startWebRig();
}, 300_000);
afterAll(async () => {
  await rig?.close();
});

interface Rig {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly api: ApiCallLog;
  /** The model's files and runtime fetched so far, each with whether the first stroke had begun. */
  readonly heavy: { url: string; afterFirstStroke: boolean }[];
  firstStrokeBegun: boolean;
}

async function open(options: { width: number; hasTouch?: boolean }): Promise<Rig> {
  const context = await rig.browser.newContext({ baseURL: rig.platform.url, viewport: { width: options.width, height: 900 }, hasTouch: options.hasTouch ?? false });
  const api = recordApiCalls(context);
  const page = await context.newPage();
  const r: Rig = { context, page, api, heavy: [], firstStrokeBegun: false };
  context.on('request', (req: Request) => {
    const url = new URL(req.url()).pathname;
    if (/\.(wasm|onnx)$/.test(url) || url === '/v1/models/active/browser') r.heavy.push({ url, afterFirstStroke: r.firstStrokeBegun });
  });
  await page.goto('/');
  return r;
}

const canvasOf = (page: Page): Locator => page.getByRole('img', { name: 'Drawing area for one digit' });
const liveDigit = (page: Page): Locator => page.getByTestId('live-digit');

/** Maps canvas pixels to page coordinates (the canvas may be shown smaller than 256 px). */
async function mapper(page: Page): Promise<(p: Point) => { x: number; y: number }> {
  const canvas = canvasOf(page);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the canvas is not shown');
  return ([x, y]) => ({ x: box.x + (x * box.width) / SIDE, y: box.y + (y * box.height) / SIDE });
}

/** Points every few pixels along a polyline, so each move draws a short segment as a hand would. */
function along(points: readonly Point[], step = 6): Point[] {
  const out: Point[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [ax, ay] = points[i] as Point;
    const [bx, by] = points[i + 1] as Point;
    const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / step));
    for (let k = i === 0 ? 0 : 1; k <= n; k++) out.push([ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n]);
  }
  return out;
}

/**
 * Draws with the mouse. Before the last stroke's button goes up, keeps the pen moving on the spot
 * until the live guess shows: that is the "live while drawing" check. Answers whether it did.
 */
async function drawWithMouse(r: Rig, drawing: Drawing): Promise<boolean> {
  const at = await mapper(r.page);
  let shownWhileDrawing = false;
  for (const [s, stroke] of drawing.entries()) {
    const pts = along(stroke);
    const first = at(pts[0] as Point);
    await r.page.mouse.move(first.x, first.y);
    r.firstStrokeBegun = true;
    await r.page.mouse.down();
    for (const p of pts.slice(1)) {
      const q = at(p);
      await r.page.mouse.move(q.x, q.y);
    }
    if (s === drawing.length - 1) shownWhileDrawing = await jiggleUntilLive(r.page, at(pts[pts.length - 1] as Point));
    await r.page.mouse.up();
  }
  return shownWhileDrawing;
}

/** Tiny moves at the end of the stroke (the button still down) until the live digit is on the page. */
async function jiggleUntilLive(page: Page, end: { x: number; y: number }): Promise<boolean> {
  const deadline = Date.now() + LIVE_TIMEOUT_MS;
  for (let i = 0; Date.now() < deadline; i++) {
    if (await liveDigit(page).isVisible()) return true;
    await page.mouse.move(end.x + (i % 2) * 0.5, end.y);
    await page.waitForTimeout(50);
  }
  return false;
}

/** Draws with a finger through the DevTools protocol: real touch events, which Chromium turns into pointerType "touch". */
async function drawWithTouch(r: Rig, cdp: CDPSession, drawing: Drawing): Promise<boolean> {
  const at = await mapper(r.page);
  let shownWhileDrawing = false;
  for (const [s, stroke] of drawing.entries()) {
    const pts = along(stroke).map(at);
    const first = pts[0];
    if (!first) continue;
    r.firstStrokeBegun = true;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: first.x, y: first.y, id: 1 }] });
    for (const p of pts.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: p.x, y: p.y, id: 1 }] });
    if (s === drawing.length - 1) {
      const end = pts[pts.length - 1] ?? first;
      const deadline = Date.now() + LIVE_TIMEOUT_MS;
      for (let i = 0; Date.now() < deadline && !shownWhileDrawing; i++) {
        shownWhileDrawing = await liveDigit(r.page).isVisible();
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: end.x + (i % 2) * 0.5, y: end.y, id: 1 }] });
        await r.page.waitForTimeout(50);
      }
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
  return shownWhileDrawing;
}

/** The ten live probabilities once the last stroke's reading is in (it is announced then). */
async function liveProbs(page: Page): Promise<number[]> {
  await page.getByTestId('live-announcement').filter({ hasText: /^Live guess: \d/ }).waitFor({ timeout: LIVE_TIMEOUT_MS });
  const table = page.getByRole('table', { name: 'Live probability of each digit' });
  if (!(await table.isVisible())) await page.getByText('Show all ten probabilities').click();
  const cells = await table.locator('tbody tr td:nth-child(2)').allInnerTexts();
  return cells.map(Number);
}

/** Sends the drawing to the server and answers its probabilities, from the /v1/read response itself. */
async function serverProbs(page: Page): Promise<number[]> {
  const response = page.waitForResponse((res) => new URL(res.url()).pathname === '/v1/read' && res.request().method() === 'POST');
  await page.getByRole('button', { name: 'Read on the server' }).click();
  const res = await response;
  expect(res.status()).toBe(200);
  return ReadResponse.parse(await res.json()).probs;
}

const maxDiff = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((x, i) => Math.abs(x - (b[i] ?? Number.NaN))));

const measured: number[] = [];

async function clearCanvas(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Clear' }).click();
  await liveDigit(page).waitFor({ state: 'detached' });
}

describe('draw a digit: live prediction in the browser equals the server', () => {
  it('predicts live while a mouse draws, loads nothing heavy before the first stroke, and matches /v1/read on three drawings', async () => {
    const r = await open({ width: 1280 });
    try {
      await canvasOf(r.page).waitFor({ timeout: 30_000 });
      // The page is idle and settled: nothing of the model or its runtime has been fetched.
      await r.page.waitForLoadState('networkidle');
      expect(r.heavy).toEqual([]);

      for (const [i, name] of ['seven', 'one', 'four'].entries()) {
        if (i > 0) await clearCanvas(r.page);
        const shownWhileDrawing = await drawWithMouse(r, DRAWINGS[name] ?? []);
        expect(shownWhileDrawing, `${name}: the live guess appears before the pen lifts`).toBe(true);
        const browser = await liveProbs(r.page);
        const server = await serverProbs(r.page);
        expect(browser).toHaveLength(10);
        const diff = maxDiff(browser, server);
        measured.push(diff);
        expect(diff, `${name}: browser ${JSON.stringify(browser)} vs server ${JSON.stringify(server)}`).toBeLessThanOrEqual(TOLERANCE);
      }

      // The model and the runtime did load, and only once the first stroke had begun.
      expect(r.heavy.some((h) => h.url.endsWith('.wasm'))).toBe(true);
      expect(r.heavy.some((h) => h.url.endsWith('/model.onnx'))).toBe(true);
      expect(r.heavy.filter((h) => !h.afterFirstStroke)).toEqual([]);

      // With the live guess and its table shown.
      expect(await seriousA11yViolations(r.page)).toEqual([]);
      expect(await screenshotsWithoutOverflow(r.page, 'read-draw')).toEqual([]);
      expect(r.api.outsideTable).toEqual([]);
    } finally {
      await r.context.close();
    }
  }, 300_000);

  it('draws with a finger (pointerType touch) on a phone-sized page and matches /v1/read', async () => {
    const r = await open({ width: 390, hasTouch: true });
    try {
      await canvasOf(r.page).waitFor({ timeout: 30_000 });
      const cdp = await r.context.newCDPSession(r.page);
      // Which pointer types reached the canvas: proof the strokes came as touch, not as a mouse.
      await r.page.evaluate(() => {
        type Listen = (type: string, fn: (e: { pointerType: string }) => void, capture: boolean) => void;
        const g = globalThis as unknown as { pointerTypes: string[]; addEventListener: Listen };
        g.pointerTypes = [];
        g.addEventListener('pointerdown', (e) => void (g.pointerTypes.includes(e.pointerType) || g.pointerTypes.push(e.pointerType)), true);
      });
      const shownWhileDrawing = await drawWithTouch(r, cdp, DRAWINGS.zero ?? []);
      expect(shownWhileDrawing).toBe(true);
      expect(await r.page.evaluate(() => (globalThis as unknown as { pointerTypes: string[] }).pointerTypes)).toEqual(['touch']);
      const browser = await liveProbs(r.page);
      const server = await serverProbs(r.page);
      const diff = maxDiff(browser, server);
      measured.push(diff);
      expect(diff, `zero by touch: browser ${JSON.stringify(browser)} vs server ${JSON.stringify(server)}`).toBeLessThanOrEqual(TOLERANCE);
      expect(await seriousA11yViolations(r.page)).toEqual([]);
      expect(r.api.outsideTable).toEqual([]);
    } finally {
      await r.context.close();
    }
  }, 300_000);

  afterAll(() => {
    // The number the report quotes: the largest |browser - server| over every drawing and digit.
    console.log(`draw.test: largest |browser - server| probability difference: ${Math.max(...measured).toExponential(2)} over ${measured.length} drawings`);
  });
});
