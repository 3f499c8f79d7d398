import { digitAt, loadMnist } from '@inkwell/ml-data';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from './fixtures/prng';
import { SHADOW_KINDS, makeShadowedDigits } from './fixtures/shadowed-digits';
import type { GrayImage } from './gray-image';
import { inkMapWithHistogram } from './ink-map';
import { chooseInkThreshold } from './ink-threshold';
import { preprocessGray } from './preprocess-core';
import { erodedInk, splitOffShadow } from './shadow-split';
import { canvas, correlation, fillRect, stroke } from './testing/draw';
import { correlationsWithSource, mean } from './testing/mnist-source';

/** A "7" in ink of `value` on paper of 230, 240x240, its bar starting `left` px in. */
function seven(value: number, thickness = 8, left = 70): GrayImage & { data: Uint8Array } {
  const img = canvas(240, 240, 230);
  stroke(img, left, 60, left + 100, 60, thickness, value);
  stroke(img, left + 100, 60, left + 40, 190, thickness, value);
  return img;
}

/** Darkens columns by up to `darkness` at `centre`, ramping down to nothing `half` px either side: a book's gutter. */
function gutter(img: GrayImage & { data: Uint8Array }, centre: number, half: number, darkness: number): void {
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const depth = Math.max(0, 1 - Math.abs(x - centre) / half) * darkness;
      img.data[y * img.width + x] = Math.round((img.data[y * img.width + x] ?? 0) * (1 - depth));
    }
  }
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
    // 10 px from the left edge: near it, but not within the 4 px a shadow fading out would leave.
    const nearEdge = seven(120, 22, 21);
    fillRect(nearEdge, 190, 180, 203, 193, 10);
    for (const img of [dotted, boxed, nearEdge]) expect(splitOf(img)).toBeNull();
    expect(correlation(read(dotted), read(seven(120, 22)))).toBeGreaterThan(0.9);
  });

  it('does not take a table along the border, darker than the ink, for the ink above a shadow', () => {
    // With a shadow band there is a split; a table along the top, darker than the ink, would then
    // be all that stays above it, so there is none.
    const shadowed = (): GrayImage & { data: Uint8Array } => {
      const img = seven(60);
      shadowBand(img, -0.6, 200, 60, 0.4);
      return img;
    };
    expect(splitOf(shadowed())).not.toBeNull();
    const withTable = shadowed();
    fillRect(withTable, 0, 0, 239, 14, 5);
    expect(splitOf(withTable)).toBeNull();
  });

  it('splits off a gutter whose darkness ramps up to its middle, though the first split keeps its core', () => {
    // Beside a thin pen's 7 the gutter is most of the "ink", and the first split falls inside it:
    // its core still reaches the top and bottom edges, so the split above that one is taken.
    const img = seven(20, 3);
    gutter(img, 140, 60, 0.6);
    const gutterInk = ((230 - Math.round(230 * 0.4)) / 230) * 255;
    const threshold = splitOf(img);
    expect(threshold ?? 0).toBeGreaterThan(gutterInk - 5);
    expect(threshold ?? 0).toBeLessThan(gutterInk + 20);
    expect(correlation(read(img), read(seven(20, 3)))).toBeGreaterThan(0.9);
  });

  it('raises the threshold just above the shadow, keeping strokes lighter than the ink but darker than it', () => {
    // The split falls between the bar and the diagonal; the shadow's own darkest lies far below.
    const img = seven(20);
    stroke(img, 70, 60, 170, 60, 8, 80);
    gutter(img, 140, 60, 0.45);
    const clean = seven(20);
    stroke(clean, 70, 60, 170, 60, 8, 80);
    const gutterInk = ((230 - Math.round(230 * 0.55)) / 230) * 255;
    const threshold = splitOf(img);
    expect(threshold).not.toBeNull();
    expect(threshold ?? 0).toBeGreaterThan(gutterInk - 5);
    expect(threshold ?? 0).toBeLessThan(gutterInk + 20);
    expect(correlation(read(img), read(clean))).toBeGreaterThan(0.9);
  });

  it('does not take a small grey patch at the edge for a shadow', () => {
    // Its interior is 100 px, a fifth of the digit's ink: a smudge, not a shadow.
    const img = seven(30);
    fillRect(img, 0, 226, 13, 239, 120);
    expect(splitOf(img)).toBeNull();
  });

  it('reads shadowed photos of MNIST digits like their sources', async () => {
    const scores = await correlationsWithSource(await makeShadowedDigits({ count: 4 * SHADOW_KINDS.length, seed: 11 }));
    expect(Math.min(...scores)).toBeGreaterThan(0.5);
    expect(mean(scores)).toBeGreaterThan(0.75);
  });
});

describe('erodedInk', () => {
  it('counts the pixels whose whole square (clipped to the image) is in the mask, with their ink', () => {
    const rng = mulberry32(5);
    for (let trial = 0; trial < 300; trial++) {
      const [width, height, radius] = [1 + Math.floor(rng() * 30), 1 + Math.floor(rng() * 30), 1 + Math.floor(rng() * 5)];
      const fill = rng();
      const mask = Uint8Array.from({ length: width * height }, () => (rng() < fill ? 1 : 0));
      const ink = Uint8Array.from({ length: width * height }, () => Math.floor(rng() * 256));
      const naive = new Uint32Array(256);
      let count = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let inside = true;
          for (let dy = -radius; dy <= radius && inside; dy++) {
            for (let dx = -radius; dx <= radius && inside; dx++) {
              const [xx, yy] = [x + dx, y + dy];
              if (xx >= 0 && yy >= 0 && xx < width && yy < height && !mask[yy * width + xx]) inside = false;
            }
          }
          if (!inside) continue;
          count++;
          naive[ink[y * width + x] ?? 0] = (naive[ink[y * width + x] ?? 0] ?? 0) + 1;
        }
      }
      const got = erodedInk(mask, ink, width, height, radius);
      expect(got.count, `${width}x${height} r${radius}`).toBe(count);
      expect([...got.histogram]).toEqual([...naive]);
    }
  });
});
