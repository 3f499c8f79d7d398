import { describe, expect, it } from 'vitest';
import { labelComponents } from './connected-components';
import { numberSlots } from './number-cut-options';
import { segmentNumber } from './number-segment';

const W = 120;
const H = 50;

/** A blank 0/1 canvas and pen strokes on it: rectangles and ring outlines 3 px thick. */
function canvas(): { px: Uint8Array; rect: (x0: number, y0: number, x1: number, y1: number) => void; ring: (x0: number, y0: number, x1: number, y1: number) => void } {
  const px = new Uint8Array(W * H);
  const rect = (x0: number, y0: number, x1: number, y1: number): void => {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) px[y * W + x] = 1;
  };
  const ring = (x0: number, y0: number, x1: number, y1: number): void => {
    rect(x0, y0, x1, y0 + 2);
    rect(x0, y1 - 2, x1, y1);
    rect(x0, y0, x0 + 2, y1);
    rect(x1 - 2, y0, x1, y1);
  };
  return { px, rect, ring };
}

const segmentsOf = (px: Uint8Array) => {
  const { labels, components } = labelComponents(px, W, H);
  return { labels, components, segments: segmentNumber(components, labels, W) };
};

describe('segmentNumber', () => {
  it('splits a clean two-digit number ("10") into its two digits, left to right', () => {
    const { px, rect, ring } = canvas();
    rect(12, 10, 15, 40); // a 1
    ring(30, 10, 50, 40); // a 0
    const { segments } = segmentsOf(px);
    expect(segments).toHaveLength(2);
    expect(segments[0]?.box).toMatchObject({ minX: 12, maxX: 15 });
    expect(segments[1]?.box).toMatchObject({ minX: 30, maxX: 50 });
  });

  it('keeps a wide 0 (wider than tall would be two digits, this is 1.2:1) as one digit', () => {
    const { px, ring } = canvas();
    ring(20, 10, 55, 39);
    const { segments } = segmentsOf(px);
    expect(segments).toHaveLength(1);
    expect(segments[0]?.box).toMatchObject({ minX: 20, maxX: 55, minY: 10, maxY: 39 });
  });
});

describe('numberSlots', () => {
  it('offers a plain digit only as itself', () => {
    const { px, ring } = canvas();
    ring(20, 10, 38, 40);
    const { labels, components } = labelComponents(px, W, H);
    const slots = numberSlots(components, labels, W);
    expect(slots).toHaveLength(1);
    expect(slots[0]?.options).toHaveLength(1);
  });

  it('offers two touching 0s whole and cut, with a cut near where they touch', () => {
    const { px, ring } = canvas();
    ring(10, 10, 30, 40);
    ring(30, 10, 50, 40); // shares its left stroke's column with the first 0's right stroke
    const { labels, components } = labelComponents(px, W, H);
    expect(components).toHaveLength(1);
    const slots = numberSlots(components, labels, W);
    expect(slots).toHaveLength(1);
    const options = slots[0]?.options ?? [];
    expect(options[0]).toHaveLength(1);
    const cuts = options.filter((o) => o.length === 2);
    expect(cuts.length).toBeGreaterThanOrEqual(1);
    // Some cut falls within a few pixels of the shared stroke (x 28-32), leaving each side about one 0.
    expect(cuts.some((o) => (o[0]?.box.maxX ?? 0) >= 24 && (o[1]?.box.minX ?? 99) <= 36)).toBe(true);
    // Kept small (each option is one more model input): three straight cuts, four bent ones, and for
    // a group this wide (1.3:1) a three-way cut and the wide side of a cut cut again, repeats dropped.
    expect(options.length).toBeLessThanOrEqual(12);
    // Each option says how many strokes its cuts cross: none for the ink whole, at least one for a cut.
    const crossings = slots[0]?.crossings ?? [];
    expect(crossings).toHaveLength(options.length);
    expect(crossings[0]).toBe(0);
    expect(crossings.slice(1).every((c) => c >= 1)).toBe(true);
  });
});
