import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import type { Download, Page } from 'playwright-core';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ReadResponse } from '@inkwell/contracts';
import { mnistTestFile } from '../harness/models';
import { newContext, screenshotsWithoutOverflow, seriousA11yViolations, startWebRig, type WebRig } from './web-harness';

/** A small upload limit, so an oversize file is cheap to make; MNIST digits stay well under it. */
const MAX_UPLOAD_BYTES = 20_000;
/** The reader's first load, before the canvas is used (issue 26, item 4). */
const FIRST_LOAD_BUDGET = 300 * 1024;

/**
 * The few browser globals the page functions use: this project compiles for Node (no DOM lib), and
 * these functions run in Chromium.
 */
interface BrowserGlobals {
  atob(data: string): string;
  getComputedStyle(element: unknown): { imageRendering: string };
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
  ClipboardEvent: new (type: string, init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean }) => unknown;
  document: { dispatchEvent(event: unknown): boolean; activeElement: { textContent: string | null } | null };
}

let rig: WebRig;

beforeAll(async () => {
  // Every test reads as a guest from 127.0.0.1: one rate-limit bucket for the whole file.
  rig = await startWebRig({ env: { INFERENCE_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), RATE_LIMIT_GUEST: '1000' } });
}, 300_000);
afterAll(() => rig?.close());

/** MNIST test digit `index` as a scanner would give it: black ink on white, 8x larger. */
async function mnistPng(index: number): Promise<Buffer> {
  const { pixels, count } = mnistTestFile();
  if (index >= count) throw new Error(`MNIST has ${count} test digits`);
  const raw = Buffer.from(pixels.subarray(index * 784, (index + 1) * 784));
  const png = await sharp(raw, { raw: { width: 28, height: 28, channels: 1 } }).negate().resize(224, 224, { kernel: 'nearest' }).png().toBuffer();
  expect(png.length).toBeLessThan(MAX_UPLOAD_BYTES);
  return png;
}

/**
 * A valid PNG over the upload limit: noise does not compress. Kept under the limit plus the form's
 * room, so the server reads the whole upload before refusing it (as for any slightly-too-large photo).
 */
async function noisePng(): Promise<Buffer> {
  let x = 0x9e3779b9;
  const noise = Buffer.alloc(200 * 200);
  for (let i = 0; i < noise.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    noise[i] = x & 0xff;
  }
  const png = await sharp(noise, { raw: { width: 200, height: 200, channels: 1 } }).png({ compressionLevel: 9 }).toBuffer();
  expect(png.length).toBeGreaterThan(MAX_UPLOAD_BYTES);
  return png;
}

/** What `/v1/read` answers for these bytes, asked directly (not through the page). */
async function serverReading(bytes: Buffer, name: string): Promise<ReadResponse> {
  const res = await request(rig.platform.url).post('/v1/read').field('visualize', 'true').attach('file', bytes, { filename: name, contentType: 'image/png' });
  expect(res.status).toBe(200);
  return ReadResponse.parse(res.body);
}

const pct = (p: number): string => `${(p * 100).toFixed(1)}%`;
const top3Text = (probs: readonly number[]): string[] =>
  probs
    .map((prob, digit) => ({ digit, prob }))
    .sort((a, b) => b.prob - a.prob || a.digit - b.digit)
    .slice(0, 3)
    .map((c) => `${c.digit}: ${pct(c.prob)}`);

const fileInput = (page: Page) => page.locator('input[type="file"]:not([capture])');
const digitShown = (page: Page) => page.getByTestId('read-digit');
const reads = (calls: readonly string[]): string[] => calls.filter((c) => c === 'POST /v1/read');

/** The page's result as shown: digit, confidence, top 3. */
async function shownResult(page: Page): Promise<{ digit: string; confidence: string; top3: string[] }> {
  await digitShown(page).waitFor();
  return {
    digit: (await digitShown(page).innerText()).trim(),
    confidence: (await page.getByTestId('read-confidence').innerText()).trim(),
    top3: (await page.getByTestId('read-top3').locator('li').allInnerTexts()).map((s) => s.trim()),
  };
}

/** Opens the reader and waits for the server's limits, so the browser-side checks are armed. */
async function openReader(page: Page): Promise<void> {
  const limits = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/limits');
  await page.goto('/');
  await page.getByRole('heading', { level: 1, name: 'Read a digit' }).waitFor();
  expect((await limits).status()).toBe(200);
  await page.getByText(/PNG or JPEG, up to [\d.]+ MB\./).waitFor();
}

async function uploadAndRead(page: Page, bytes: Buffer, name: string): Promise<void> {
  await fileInput(page).setInputFiles({ name, mimeType: 'image/png', buffer: bytes });
  await page.getByRole('img', { name: `Preview of ${name}` }).waitFor();
  await page.getByRole('button', { name: 'Read this digit' }).click();
}

const downloaded = async (page: Page, button: string): Promise<{ download: Download; bytes: Buffer }> => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const path = await download.path();
  return { download, bytes: await readFile(path) };
};

/** The text a pdf-lib page draws (`<hex> Tj` in its content streams, which are deflated). */
function pdfTexts(bytes: Buffer): string[] {
  const texts: string[] = [];
  const source = bytes.toString('latin1');
  for (const m of source.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1] ?? '', 'latin1')).toString('latin1');
    } catch {
      content = m[1] ?? '';
    }
    for (const t of content.matchAll(/<([0-9A-Fa-f]+)>\s*Tj/g)) texts.push(Buffer.from(t[1] ?? '', 'hex').toString('latin1'));
  }
  return texts;
}

describe('the guest reader', () => {
  it('reads an uploaded digit exactly as /v1/read does, and shows what the model saw', async () => {
    const { context, page, api } = await newContext(rig);
    const bytes = await mnistPng(0);
    const expected = await serverReading(bytes, 'digit-0.png');
    await openReader(page);

    await uploadAndRead(page, bytes, 'digit-0.png');
    const shown = await shownResult(page);
    expect(shown).toEqual({ digit: String(expected.digit), confidence: pct(expected.confidence), top3: top3Text(expected.probs) });
    const processed = page.getByRole('img', { name: /28 by 28 pixel image the model read/ });
    expect(await processed.getAttribute('src')).toBe(`data:image/png;base64,${expected.visual_png_b64}`);
    expect(await processed.evaluate((img) => (globalThis as unknown as BrowserGlobals).getComputedStyle(img).imageRendering)).toBe('pixelated');
    expect(await page.getByRole('progressbar', { name: 'Confidence' }).getAttribute('aria-valuenow')).toBe(String(Math.round(expected.confidence * 100)));
    expect(await page.getByText('Low confidence; try larger digits or darker ink').count()).toBe(expected.uncertain ? 1 : 0);
    expect(reads(api.calls)).toHaveLength(1);

    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await screenshotsWithoutOverflow(page, 'reader')).toEqual([]);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });

  it('reads an image pasted from the clipboard', async () => {
    const { context, page, api } = await newContext(rig);
    const bytes = await mnistPng(1);
    const expected = await serverReading(bytes, 'pasted.png');
    await openReader(page);

    await page.evaluate(
      ({ b64, name }) => {
        const w = globalThis as unknown as BrowserGlobals;
        const data = Uint8Array.from(w.atob(b64), (c) => c.charCodeAt(0));
        const clipboard = new w.DataTransfer();
        clipboard.items.add(new w.File([data], name, { type: 'image/png' }));
        w.document.dispatchEvent(new w.ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
      },
      { b64: bytes.toString('base64'), name: 'pasted.png' },
    );
    await page.getByRole('img', { name: 'Preview of pasted.png' }).waitFor();
    await page.getByRole('button', { name: 'Read this digit' }).click();
    expect((await shownResult(page)).digit).toBe(String(expected.digit));
    expect(await page.getByTestId('read-confidence').innerText()).toBe(pct(expected.confidence));
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });

  it('downloads the shown result as JSON and as a PDF that holds it', async () => {
    const { context, page, api } = await newContext(rig);
    const bytes = await mnistPng(2);
    const expected = await serverReading(bytes, 'digit-2.png');
    await openReader(page);
    await uploadAndRead(page, bytes, 'digit-2.png');
    const shown = await shownResult(page);

    const json = await downloaded(page, 'Download JSON');
    expect(json.download.suggestedFilename()).toMatch(new RegExp(`^inkwell-digit-${shown.digit}-.*\\.json$`));
    const body: unknown = JSON.parse(json.bytes.toString('utf8'));
    const parsed = ReadResponse.extend({ file_name: z.string(), read_at: z.string() }).parse(body);
    expect(parsed.file_name).toBe('digit-2.png');
    expect(Number.isNaN(Date.parse(parsed.read_at))).toBe(false);
    expect({ digit: String(parsed.digit), confidence: pct(parsed.confidence), top3: top3Text(parsed.probs) }).toEqual(shown);
    expect({ ...parsed, file_name: undefined, read_at: undefined }).toEqual({ ...expected, file_name: undefined, read_at: undefined });

    const pdf = await downloaded(page, 'Download PDF');
    expect(pdf.download.suggestedFilename()).toMatch(/\.pdf$/);
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf.bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe(`Inkwell reading: Digit: ${shown.digit}`);
    const texts = pdfTexts(pdf.bytes);
    expect(texts).toContain(`Digit: ${shown.digit}`);
    expect(texts).toContain(`Confidence: ${shown.confidence}`);
    expect(texts).toContain(`Top 3: ${shown.top3.join(', ')}`);
    expect(texts).toContain(`Model: ${expected.model_id}`);
    expect(texts.includes('Low confidence; try larger digits or darker ink')).toBe(expected.uncertain);
    // The 28x28 image the model read is embedded: an image XObject the size of the server's visual PNG (an upscaled render of it).
    const visual = await sharp(Buffer.from(expected.visual_png_b64 ?? '', 'base64')).metadata();
    const images = doc.context
      .enumerateIndirectObjects()
      .map(([, obj]) => obj)
      .filter((obj): obj is PDFRawStream => obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
    expect(images.map((img) => [img.dict.get(PDFName.of('Width')), img.dict.get(PDFName.of('Height'))].map((n) => (n instanceof PDFNumber ? n.asNumber() : null)))).toContainEqual([visual.width, visual.height]);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });

  it('refuses an oversize image, a non-image and an image of the wrong dimensions in the browser, without a request to /v1/read', async () => {
    const { context, page, api } = await newContext(rig);
    await openReader(page);

    const big = await noisePng();
    await fileInput(page).setInputFiles({ name: 'noise.png', mimeType: 'image/png', buffer: big });
    const alert = page.getByRole('alert').filter({ hasText: /This image is/ });
    await alert.waitFor();
    const sizeMb = Math.ceil((big.length / 1024 / 1024) * 1e4) / 1e4;
    expect(await alert.innerText()).toBe(`This image is ${sizeMb} MB; the limit is 0.019 MB. Choose a smaller image, or crop or shrink this one.`);
    expect(await page.getByRole('button', { name: 'Read this digit' }).count()).toBe(0);

    // Text wearing an image's name and type: only its bytes tell.
    await fileInput(page).setInputFiles({ name: 'digit.png', mimeType: 'image/png', buffer: Buffer.from('this is not an image, only text\n') });
    await page.getByRole('alert').filter({ hasText: 'This file is not a PNG or JPEG image (digit.png).' }).waitFor();
    expect(await page.getByText(/This image is/).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Read this digit' }).count()).toBe(0);

    // Dimensions, from the header, by the server's rules: a side under 8 px (PNG), and one over
    // the 8192 px cap (JPEG, whose frame header sits behind an EXIF segment).
    const tiny = await sharp({ create: { width: 4, height: 6, channels: 3, background: '#ffffff' } }).png().toBuffer();
    await fileInput(page).setInputFiles({ name: 'tiny.png', mimeType: 'image/png', buffer: tiny });
    await page.getByRole('alert').filter({ hasText: 'This image is 4 × 6 pixels; each side must be at least 8 pixels. Choose a larger image.' }).waitFor();
    const long = await sharp({ create: { width: 8200, height: 10, channels: 3, background: '#ffffff' } }).withMetadata({ orientation: 1 }).jpeg().toBuffer();
    expect(long.length).toBeLessThan(MAX_UPLOAD_BYTES);
    await fileInput(page).setInputFiles({ name: 'long.jpg', mimeType: 'image/jpeg', buffer: long });
    await page.getByRole('alert').filter({ hasText: 'This image is 8200 × 10 pixels; each side may be at most 8192 pixels. Shrink it or crop it to the digit.' }).waitFor();
    expect(await page.getByRole('button', { name: 'Read this digit' }).count()).toBe(0);

    expect(reads(api.calls)).toEqual([]);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });

  it('falls back to the server\'s own refusal when the browser could not learn the limit', async () => {
    const { context, page, api } = await newContext(rig);
    await page.route('**/v1/limits', (route) => route.abort());
    await page.goto('/');
    await page.getByText('PNG or JPEG.', { exact: false }).first().waitFor();
    const big = await noisePng();
    await uploadAndRead(page, big, 'noise.png');
    await page.getByRole('alert').filter({ hasText: /limit/ }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: /limit/ }).innerText()).toMatch(/File exceeds .* limit\. Choose a smaller file\./);
    expect(reads(api.calls)).toHaveLength(1);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });

  it('"Read another" clears the result and the image without reloading the page', async () => {
    const { context, page, api } = await newContext(rig);
    await openReader(page);
    await page.evaluate(() => Object.assign(globalThis, { inkwellMark: 'same page' }));
    await uploadAndRead(page, await mnistPng(3), 'digit-3.png');
    await shownResult(page);

    await page.getByRole('button', { name: 'Read another' }).click();
    await page.getByText('Choose or draw a digit, and its reading appears here.').waitFor();
    expect(await digitShown(page).count()).toBe(0);
    expect(await page.getByRole('img', { name: /^Preview of/ }).count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { inkwellMark?: string }).inkwellMark)).toBe('same page');
    // Focus goes back to where the next image comes from.
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.textContent ?? '')).toContain('Drop an image here, or choose a file');

    // The same file can be chosen again at once.
    await uploadAndRead(page, await mnistPng(3), 'digit-3.png');
    await shownResult(page);
    expect(reads(api.calls)).toHaveLength(2);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });

  it(`loads under ${FIRST_LOAD_BUDGET / 1024} KB before the canvas is used, without the model or WASM`, async () => {
    const { context, page, api } = await newContext(rig);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    let total = 0;
    const urls: string[] = [];
    cdp.on('Network.loadingFinished', (e) => (total += e.encodedDataLength));
    cdp.on('Network.requestWillBeSent', (e) => urls.push(e.request.url));
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Read a digit' }).waitFor();
    await page.waitForLoadState('networkidle');
    console.log(`reader first load: ${total} bytes transferred (${(total / 1024).toFixed(1)} KB) in ${urls.length} requests`);
    expect(urls.filter((u) => /\.(wasm|onnx)(\?|$)/.test(new URL(u).pathname))).toEqual([]);
    expect(total).toBeGreaterThan(10 * 1024); // the app did load
    expect(total).toBeLessThan(FIRST_LOAD_BUDGET);
    expect(api.outsideTable).toEqual([]);
    await context.close();
  });
});
