import { describe, expect, it } from 'vitest';
import { deskewRotation, estimateSkew, rotate, tightCrop } from './deskew';
import type { FloatImage } from './gray-image';
import { canvas, stroke } from './testing/draw';

/** A stroke from bottom-centre leaning `tilt` degrees, "/" for positive. */
function bar(tiltDegrees: number, thickness = 6, length = 60): FloatImage {
  const img = canvas(100, 100, 0);
  const t = (tiltDegrees * Math.PI) / 180;
  const [dx, dy] = [Math.sin(t) * length, Math.cos(t) * length];
  stroke(img, 50 - dx / 2, 50 + dy / 2, 50 + dx / 2, 50 - dy / 2, thickness, 255);
  return { data: Float32Array.from(img.data, (v) => v / 255), width: 100, height: 100 };
}

describe('deskew', () => {
  it('measures the tilt of a leaning stroke, "/" positive', () => {
    expect(estimateSkew(bar(7)).tiltDegrees).toBeCloseTo(7, 0);
    expect(estimateSkew(bar(-7)).tiltDegrees).toBeCloseTo(-7, 0);
    expect(estimateSkew(bar(7)).elongation).toBeGreaterThan(5);
  });

  it('rotates a stroke leaning 7 degrees upright', () => {
    const img = bar(7);
    const r = deskewRotation(estimateSkew(img));
    expect(r).toBeCloseTo(-7, 0);
    const upright = rotate(img, r);
    expect(Math.abs(estimateSkew(upright).tiltDegrees)).toBeLessThan(0.5);
  });

  it('caps the correction at 10 degrees', () => {
    expect(deskewRotation(estimateSkew(bar(25)))).toBe(-10);
    expect(deskewRotation(estimateSkew(bar(-25)))).toBe(10);
  });

  it('leaves round shapes and tiny marks alone (no reliable axis)', () => {
    const ring = canvas(60, 60, 0);
    for (let a = 0; a < 360; a += 2) {
      const t = (a * Math.PI) / 180;
      stroke(ring, 30 + 20 * Math.cos(t), 30 + 16 * Math.sin(t), 30 + 20 * Math.cos(t + 0.04), 30 + 16 * Math.sin(t + 0.04), 4, 255);
    }
    expect(deskewRotation(estimateSkew({ data: Float32Array.from(ring.data, (v) => v / 255), width: 60, height: 60 }))).toBe(0);
    expect(deskewRotation(estimateSkew(bar(7, 1, 6)))).toBe(0); // too little ink
    expect(deskewRotation(estimateSkew(bar(0)))).toBe(0); // already upright
  });

  it('tightCrop trims empty margins and returns null for an empty image', () => {
    const crop = tightCrop(bar(0));
    expect(crop?.height).toBeGreaterThanOrEqual(60);
    expect(crop?.width).toBeLessThanOrEqual(8);
    expect(tightCrop({ data: new Float32Array(9), width: 3, height: 3 })).toBeNull();
  });
});
