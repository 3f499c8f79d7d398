import { describe, expect, it } from 'vitest';
import type { FloatImage } from './gray-image';
import { strokeWidth, thickenThinStrokes } from './stroke-width';
import { canvas, stroke } from './testing/draw';

/** A drawn "7" (ink 1 on 0) of the given pen width on a `side`-pixel square. */
function seven(side: number, pen: number): FloatImage {
  const img = canvas(side, side, 0);
  const s = side / 100;
  stroke(img, 10 * s, 10 * s, 90 * s, 10 * s, pen, 255);
  stroke(img, 90 * s, 10 * s, 40 * s, 90 * s, pen, 255);
  return { data: Float32Array.from(img.data, (v) => v / 255), width: side, height: side };
}

/** Naive grey dilation by a (2r+1) square on a canvas grown by r: what thickenThinStrokes must equal. */
function naiveDilate(img: FloatImage, r: number): Float32Array {
  const w = img.width + 2 * r;
  const h = img.height + 2 * r;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = 0;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const sx = x - r + dx;
          const sy = y - r + dy;
          if (sx >= 0 && sy >= 0 && sx < img.width && sy < img.height) m = Math.max(m, img.data[sy * img.width + sx] ?? 0);
        }
      }
      out[y * w + x] = m;
    }
  }
  return out;
}

describe('strokeWidth', () => {
  it('measures a ribbon as its width, whatever its length', () => {
    for (const pen of [3, 6, 12]) expect(strokeWidth(seven(200, pen))).toBeGreaterThan(pen * 0.7) // a diagonal's staircase edge reads longer than it is;
    for (const pen of [3, 6, 12]) expect(strokeWidth(seven(200, pen))).toBeLessThan(pen * 1.25);
    expect(strokeWidth({ data: new Float32Array(4), width: 2, height: 2 })).toBe(0);
  });
});

describe('thickenThinStrokes', () => {
  it('leaves strokes of MNIST widths as they are', () => {
    const img = seven(100, 10); // 10 % of the side: 2 pixels of the 20-pixel box
    expect(thickenThinStrokes(img, 20)).toBe(img);
  });

  it('widens a hairline to MNIST median width in the 20-pixel box, as a grey dilation', () => {
    const img = seven(300, 2); // 0.13 pixel of the box
    const thick = thickenThinStrokes(img, 20);
    const r = (thick.width - img.width) / 2;
    expect(r).toBeGreaterThan(10);
    expect(thick.height).toBe(img.height + 2 * r);
    expect(thick.data).toEqual(naiveDilate(img, r));
    const inBox = (strokeWidth(thick) * 20) / Math.max(thick.width, thick.height);
    expect(inBox).toBeGreaterThan(1.6);
    expect(inBox).toBeLessThan(2.4);
  });

  it('dilates correctly near the ends of short lines (the window cut by the border)', () => {
    const img: FloatImage = { data: Float32Array.from({ length: 35 }, (_, i) => ((i * 7) % 11) / 10), width: 5, height: 7 };
    const tiny = { ...img, data: img.data.map((v) => v * 0.001) }; // no ink >= 0.5: untouched
    expect(thickenThinStrokes(tiny, 20)).toBe(tiny);
    const line: FloatImage = { data: new Float32Array(300), width: 300, height: 1 };
    line.data.fill(1, 0, 300);
    const thick = thickenThinStrokes(line, 20);
    expect(thick.data).toEqual(naiveDilate(line, (thick.width - 300) / 2));
  });
});
