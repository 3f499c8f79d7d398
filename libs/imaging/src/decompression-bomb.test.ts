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
