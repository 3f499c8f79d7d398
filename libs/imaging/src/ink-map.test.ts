import { describe, expect, it } from 'vitest';
import { inkMap } from './ink-map';
import { canvas, stroke } from './testing/draw';

describe('inkMap', () => {
  it('is exactly 255 - gray on evenly lit white paper (so MNIST-style inputs pass through)', () => {
    const img = canvas(60, 45, 255);
    stroke(img, 10, 10, 40, 35, 4, 30);
    stroke(img, 45, 5, 45, 40, 3, 140);
    const ink = inkMap(img, false);
    img.data.forEach((g, i) => expect(ink[i]).toBe(255 - g));
  });

  it('flattens a strong lighting gradient, edges and partial blocks included, but keeps the stroke', () => {
    // Odd sizes leave partial blocks along the right and bottom edges.
    for (const [w, h] of [[181, 163], [333, 97], [29, 31]] as const) {
      const img = canvas(w, h, 0);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img.data[y * w + x] = Math.round(235 - 90 * ((x + y) / (w + h))); // 235 .. 145
      const ink = inkMap(img, false);
      expect(Math.max(...ink)).toBeLessThan(25);
      stroke(img, w / 2, h * 0.2, w / 2, h * 0.8, 3, 40);
      expect(inkMap(img, false)[Math.floor(h / 2) * w + Math.floor(w / 2)]).toBeGreaterThan(120);
    }
  });

  it('keeps the core of a very thick stroke as ink (a marker digit filling the frame)', () => {
    const img = canvas(200, 200, 230);
    stroke(img, 60, 20, 140, 180, 50, 25); // a quarter of the frame wide
    stroke(img, 60, 60, 140, 60, 50, 25);
    const ink = inkMap(img, false);
    expect(ink[100 * 200 + 100]).toBeGreaterThan(200);
    expect(ink[60 * 200 + 100]).toBeGreaterThan(200);
    expect(ink[190 * 200 + 10]).toBe(0);
  });

  it('reads light ink on dark as ink when told to invert', () => {
    const img = canvas(50, 50, 20);
    stroke(img, 25, 10, 25, 40, 4, 230);
    const ink = inkMap(img, true);
    expect(ink[25 * 50 + 25]).toBeGreaterThan(200);
    expect(ink[5 * 50 + 5]).toBe(0);
  });
});
