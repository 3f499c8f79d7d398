import { describe, expect, it } from 'vitest';
import { chooseInkThreshold, decisiveInkThreshold } from './ink-threshold';
import { otsuThreshold } from './otsu-threshold';
import { mulberry32 } from './fixtures/prng';

function noisyPaper(pixels: number, inkPixels: number, inkLevel: number): Uint32Array {
  const rng = mulberry32(2);
  const h = new Uint32Array(256);
  for (let i = 0; i < pixels; i++) {
    const v = i < inkPixels ? inkLevel + Math.round((rng() - 0.5) * 40) : Math.max(0, Math.round(16 + (rng() + rng() + rng() - 1.5) * 16));
    h[Math.min(255, v)]! += 1;
  }
  return h;
}

describe('chooseInkThreshold', () => {
  it('puts the threshold above paper grain when the digit is a tiny share of the image', () => {
    // 0.1% ink: plain Otsu splits the grain instead.
    const h = noisyPaper(250_000, 250, 150);
    expect(otsuThreshold(h).threshold).toBeLessThan(40);
    const cut = chooseInkThreshold(h);
    expect(cut.threshold).toBeGreaterThan(30);
    expect(cut.threshold).toBeLessThan(130);
    expect(cut.inkPixels).toBeGreaterThanOrEqual(240);
    expect(cut.contrast).toBeGreaterThan(100);
  });

  it('reports no contrast worth calling ink on grain alone', () => {
    const cut = chooseInkThreshold(noisyPaper(100_000, 0, 0));
    expect(cut.contrast).toBeLessThan(40);
  });

  it('finds ink by Otsu\'s split alone when ink and its soft edges are most of the image (a tight crop)', () => {
    // 23 % paper near 0, 20 % soft edge ramping up, 57 % ink near 170: the median lies in the ink
    // and the floor built on it (median + 5 robust sigmas) sits above every pixel.
    const h = new Uint32Array(256);
    h.fill(400, 0, 16);
    h.fill(40, 16, 160);
    h.fill(1000, 160, 176);
    expect(chooseInkThreshold(h).inkPixels).toBe(0);
    const cut = decisiveInkThreshold(h);
    expect(cut?.threshold).toBe(otsuThreshold(h).threshold);
    expect(cut?.threshold).toBeGreaterThan(40);
    expect(cut?.threshold).toBeLessThan(160);
    expect(cut?.contrast).toBeGreaterThan(100);
  });

  it('gives no tight-crop threshold for grain or a single tone', () => {
    expect(decisiveInkThreshold(noisyPaper(100_000, 0, 0))).toBeNull();
    const flat = new Uint32Array(256);
    flat[200] = 5000;
    expect(decisiveInkThreshold(flat)).toBeNull();
  });
});
