import { digitAt, loadMnist } from '@inkwell/ml-data';
import { describe, expect, it } from 'vitest';
import { SHADOW_KINDS, makeShadowedDigits } from './fixtures/shadowed-digits';
import type { GrayImage } from './gray-image';
import { inkMapWithHistogram } from './ink-map';
import { chooseInkThreshold } from './ink-threshold';
import { preprocess } from './preprocess';
import { preprocessGray } from './preprocess-core';
import { splitOffShadow } from './shadow-split';
import { canvas, correlation, fillRect, stroke } from './testing/draw';

/** A "7" in ink of `value` on paper of 230, 240x240. */
function seven(value: number, thickness = 8): GrayImage & { data: Uint8Array } {
  const img = canvas(240, 240, 230);
  stroke(img, 70, 60, 170, 60, thickness, value);
  stroke(img, 170, 60, 110, 190, thickness, value);
  return img;
}

/** Darkens a band `width` px wide around the line y = x * slope + offset by `darkness` (0..1). */
function shadowBand(img: GrayImage & { data: Uint8Array }, slope: number, offset: number, width: number, darkness: number): void {
  const across = Math.sqrt(1 + slope * slope);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (Math.abs(y - slope * x - offset) / across <= width / 2) img.data[y * img.width + x] = Math.round((img.data[y * img.width + x] ?? 0) * (1 - darkness));
    }
  }
}

const read = (img: GrayImage): Float32Array => preprocessGray(img, { center: true }).pixels;

function splitOf(img: GrayImage): number | null {
  const { ink, histogram } = inkMapWithHistogram(img, false);
  return splitOffShadow(ink, histogram, img.width, img.height, chooseInkThreshold(histogram).threshold)?.threshold ?? null;
}

describe('splitOffShadow', () => {
  it('leaves out a shadow band lying across the digit: the result is the unshadowed digit', () => {
    const clean = read(seven(30));
    for (const [slope, offset, width, darkness] of [
      [-0.6, 200, 60, 0.4],
      [0.3, 60, 50, 0.45],
      [-1.5, 330, 70, 0.3],
    ] as const) {
      const img = seven(30);
      shadowBand(img, slope, offset, width, darkness);
      // Without the split the band joins the strokes and the models read a "1".
      expect(splitOf(img)).not.toBeNull();
      expect(correlation(read(img), clean)).toBeGreaterThan(0.9);
    }
  });

  it('changes nothing without a shadow: clean ink, pencil, a thick marker, MNIST digits', () => {
    const test = loadMnist('test');
    const images: GrayImage[] = [seven(30), seven(140), seven(20, 30)];
    for (let i = 0; i < 50; i++) images.push({ data: digitAt(test, i), width: 28, height: 28 });
    for (const img of images) expect(splitOf(img)).toBeNull();
  });

  it('keeps a lighter stroke of the digit (written with less pressure) with the darker one', () => {
    const img = seven(25);
    stroke(img, 70, 60, 170, 60, 8, 100); // the bar, in a lighter grey than the diagonal
    expect(splitOf(img)).toBeNull();
    const diagonalOnly = canvas(240, 240, 230);
    stroke(diagonalOnly, 170, 60, 110, 190, 8, 25);
    expect(correlation(read(img), read(seven(25)))).toBeGreaterThan(0.75);
    expect(correlation(read(img), read(seven(25)))).toBeGreaterThan(correlation(read(img), read(diagonalOnly)) + 0.2);
  });

  it('keeps a grey or coloured digit beside something darker: a full stop, a box drawn round it', () => {
    // The lighter population is the digit itself, wide enough to pass for a shadow, but a shadow
    // is cast from outside the frame and this reaches no edge.
    const dotted = seven(120, 22);
    fillRect(dotted, 190, 180, 203, 193, 10);
    const boxed = seven(120, 22);
    for (const [x0, y0, x1, y1] of [[30, 30, 209, 35], [30, 204, 209, 209], [30, 30, 35, 209], [204, 30, 209, 209]] as const) fillRect(boxed, x0, y0, x1, y1, 10);
    for (const img of [dotted, boxed]) expect(splitOf(img)).toBeNull();
    expect(correlation(read(dotted), read(seven(120, 22)))).toBeGreaterThan(0.9);
  });

  it('does not take a table along the border, darker than the ink, for the ink above a shadow', () => {
    // A thick grey digit is wide enough to pass for a shadow next to something darker; the dark
    // band along the top is a table beyond the page's edge, not the digit.
    const img = seven(120, 26);
    fillRect(img, 0, 0, 239, 14, 15);
    expect(splitOf(img)).toBeNull();
    expect(correlation(read(img), read(seven(120, 26)))).toBeGreaterThan(0.9);
  });

  it('reads shadowed photos of MNIST digits like their sources', async () => {
    const test = loadMnist('test');
    const shadowed = await makeShadowedDigits({ count: 4 * SHADOW_KINDS.length, seed: 11 });
    const scores: number[] = [];
    for (const d of shadowed) {
      const ref = preprocessGray({ data: digitAt(test, d.mnistIndex), width: 28, height: 28 }, { center: true }).pixels;
      scores.push(correlation((await preprocess(d.bytes)).pixels, ref));
    }
    expect(Math.min(...scores)).toBeGreaterThan(0.5);
    expect(scores.reduce((a, b) => a + b, 0) / scores.length).toBeGreaterThan(0.75);
  });
});
