import { isAppError } from '@inkwell/contracts';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeToGray } from './decode-image';
import { PIPELINE_PARAMS } from './pipeline-params';
import { blackPng } from './fixtures/png-writer';
import { DEFAULT_IMAGE_LIMITS } from './image-limits';
import { preprocess } from './preprocess';
import { sniffImage } from './sniff-image';

// Its own file so the RSS measured is this process's alone (Vitest runs each file in its own fork).
const MB = 1024 * 1024;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    return isAppError(e) ? e.code : String(e);
  }
}

describe('a 30000x30000 PNG bomb', () => {
  it('is a valid PNG (the same writer at a small size decodes)', async () => {
    const small = await blackPng(300, 200);
    const { data, info } = await sharp(small).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([300, 200]);
    expect(data.every((v) => v === 0)).toBe(true);
  });

  it('is refused with too_large before decoding, without RSS growing by 100 MB', async () => {
    const bomb = await blackPng(30000, 30000);
    expect(bomb.length).toBeLessThan(2 * MB); // it would pass the upload size limit
    const before = process.memoryUsage().rss;
    expect(await codeOf(preprocess(bomb))).toBe('too_large');
    // Second line of defence: even if the header check were skipped, sharp's limitInputPixels
    // refuses it from the header.
    expect(await codeOf(decodeToGray(bomb, sniffImage(bomb), DEFAULT_IMAGE_LIMITS, PIPELINE_PARAMS.working))).toBe('too_large');
    // And metadata() with the limit off reads the header only: no 900 MB allocation.
    expect((await sharp(bomb, { limitInputPixels: false }).metadata()).width).toBe(30000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
  });
});

/** Peak RSS growth (sampled every 2 ms) while `p` runs, and its outcome. */
async function rssGrowthOf(p: () => Promise<unknown>): Promise<{ code: string; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const code = await codeOf(p());
  clearInterval(sampler);
  return { code, growth: Math.max(peak, process.memoryUsage().rss) - before };
}

// The default limits take 16-megapixel images since phone photos are read (they used to cap sides
// at 1024 px, so nothing over 1 Mpx was decoded). Files under the pixel cap must not be bombs either.
describe('small files just under the 16-megapixel cap', () => {
  it('an interlaced 16-bit RGBA PNG (held whole while decoding: 128 MB) is refused as too_large from its header', async () => {
    const png = await sharp({ create: { width: 4000, height: 4000, channels: 4, background: '#ffffffff' } }).toColourspace('rgb16').png({ progressive: true }).toBuffer();
    expect(png.length).toBeLessThan(1 * MB);
    const { code, growth } = await rssGrowthOf(() => preprocess(png));
    expect(code).toBe('too_large');
    expect(growth).toBeLessThan(20 * MB);
  });

  it('the same PNG not interlaced streams through the shrink: decoded (blank, so no digit) within 100 MB', async () => {
    const png = await sharp({ create: { width: 4000, height: 4000, channels: 4, background: '#ffffffff' } }).toColourspace('rgb16').png().toBuffer();
    const { code, growth } = await rssGrowthOf(() => preprocess(png));
    expect(code).toBe('preprocessing_failed');
    expect(growth).toBeLessThan(100 * MB);
  });

  it('a progressive 4:4:4 JPEG (96 MB of coefficients) is refused; a progressive 4:2:0 one (48 MB) is decoded within 100 MB', async () => {
    const blank = sharp({ create: { width: 4000, height: 4000, channels: 3, background: '#ffffff' } });
    const p444 = await blank.clone().jpeg({ progressive: true, chromaSubsampling: '4:4:4' }).toBuffer();
    expect((await rssGrowthOf(() => preprocess(p444))).code).toBe('too_large');
    const p420 = await blank.clone().jpeg({ progressive: true, chromaSubsampling: '4:2:0' }).toBuffer();
    const { code, growth } = await rssGrowthOf(() => preprocess(p420));
    expect(code).toBe('preprocessing_failed');
    expect(growth).toBeLessThan(100 * MB);
  });
});
