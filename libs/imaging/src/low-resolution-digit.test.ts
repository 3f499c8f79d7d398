import { digitAt } from '@inkwell/ml-data';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeOtherWriters } from './fixtures/other-writers';
import { mnistTestSet } from './fixtures/mnist-test-set';
import { makePhotoFixtures } from './fixtures/photo-fixtures';
import type { GrayImage } from './gray-image';
import { detailLost, edgesAreDark, lowResolutionDigit } from './low-resolution-digit';
import { preprocess } from './preprocess';
import { preprocessGray } from './preprocess-core';
import { canvas, correlation, fillRect } from './testing/draw';

async function grayOf(bytes: Uint8Array): Promise<GrayImage> {
  const { data, info } = await sharp(Buffer.from(bytes)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

describe('low-resolution digits cropped to their ink (pipeline 1.3.0)', () => {
  it('are recognised, dark on light, and come out close to the MNIST digit they were made from', async () => {
    const fixtures = await makeOtherWriters({ count: 40, seed: 3, source: 'mnist' });
    const correlations: number[] = [];
    for (const f of fixtures) {
      const gray = await grayOf(f.bytes);
      expect(edgesAreDark(gray), f.name).toBe(false);
      expect(lowResolutionDigit(gray, false), f.name).not.toBeNull();
      const source = Float32Array.from(digitAt(mnistTestSet(), f.mnistIndex ?? 0), (v) => v / 255);
      correlations.push(correlation((await preprocess(f.bytes)).pixels, source));
    }
    correlations.sort((a, b) => a - b);
    // 8-16 px scans of them: blurred, but the same shape in the same place (1.2.0 refused a third
    // of these and thresholded most of the rest into blocks).
    expect(correlations[Math.floor(correlations.length / 2)]).toBeGreaterThan(0.75);
    expect(correlations[Math.floor(correlations.length / 10)]).toBeGreaterThan(0.55);
  });

  it('leave MNIST digits with their margin and photo-like images to the general path', async () => {
    for (let i = 0; i < 200; i++) {
      const digit = { data: Uint8Array.from(digitAt(mnistTestSet(), i), (v) => 255 - v), width: 28, height: 28 };
      expect(lowResolutionDigit(digit, false), `mnist ${i}`).toBeNull();
    }
    for (const f of await makePhotoFixtures({ count: 22, seed: 11 })) {
      const gray = await grayOf(f.bytes);
      if (Math.max(gray.width, gray.height) > 256) continue; // the pipeline shrinks those first
      expect(lowResolutionDigit(gray, false), f.name).toBeNull();
    }
  });

  it('are recognised enlarged again to 200 px, where the enlargement made hundreds of grey levels', async () => {
    let found = 0;
    const fixtures = await makeOtherWriters({ count: 30, seed: 3, source: 'strokes' });
    for (const f of fixtures) {
      const { data, info } = await sharp(Buffer.from(f.bytes)).greyscale().resize({ height: 200, kernel: 'linear' }).raw().toBuffer({ resolveWithObject: true });
      const gray = { data: new Uint8Array(data), width: info.width, height: info.height };
      expect(detailLost(gray), f.name).toBeLessThan(0.045);
      found += lowResolutionDigit(gray, undefined)?.inverted === false ? 1 : 0;
    }
    expect(found).toBeGreaterThanOrEqual(27);
    // A photo's strokes are sharp at its own scale: shrunk to 20 rows, much of it is lost.
    let photos = 0;
    for (const f of await makePhotoFixtures({ count: 22, seed: 12 })) {
      const gray = await grayOf(f.bytes);
      if (Math.max(gray.width, gray.height) > 256) continue; // the pipeline shrinks those first
      expect(detailLost(gray), f.name).toBeGreaterThan(0.03);
      photos++;
    }
    expect(photos).toBeGreaterThanOrEqual(4);
  });

  it('are read the same way in light ink on dark when the polarity is given', async () => {
    const [f] = await makeOtherWriters({ count: 1, seed: 4, source: 'strokes' });
    if (!f) throw new Error('no fixture');
    const gray = await grayOf(f.bytes);
    const inverse = { ...gray, data: gray.data.map((v) => 255 - v) };
    const dark = preprocessGray(gray, { invert: false, center: true });
    const light = preprocessGray(inverse, { invert: true, center: true });
    expect(Array.from(light.pixels)).toEqual(Array.from(dark.pixels));
    expect(light.inverted).toBe(true);
  });

  it('do not include a small frame whose ink is a band along one edge (a shadow, not a digit)', () => {
    const img = canvas(40, 40, 240);
    fillRect(img, 0, 0, 13, 39, 30);
    fillRect(img, 22, 10, 26, 30, 30);
    expect(lowResolutionDigit(img, false)).toBeNull();
  });
});
