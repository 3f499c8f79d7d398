import { describe, expect, it } from 'vitest';
import { labelComponents } from './connected-components';
import { selectDigit } from './select-digit';
import { canvas, fillRect, stroke } from './testing/draw';
import type { GrayImage } from './gray-image';

/** Ink = 255 on 0 here: selection works on the binary ink mask. */
function select(img: GrayImage) {
  const mask = img.data.map((v) => (v > 127 ? 1 : 0));
  const { components } = labelComponents(mask, img.width, img.height);
  const sel = selectDigit(components, img.width, img.height);
  if (sel === null) throw new Error('nothing selected');
  return { sel, components };
}

/** A "5" drawn in two strokes: the top bar lifted off the body. */
function twoStrokeFive(img: GrayImage, x: number, y: number): void {
  stroke(img, x + 8, y + 30, x + 8, y + 55, 7, 255); // down stroke
  stroke(img, x + 8, y + 55, x + 40, y + 60, 7, 255);
  stroke(img, x + 40, y + 60, x + 42, y + 85, 7, 255); // belly
  stroke(img, x + 42, y + 85, x + 5, y + 92, 7, 255);
  stroke(img, x + 14, y + 20, x + 45, y + 20, 7, 255); // bar, separate (gap above the down stroke)
}

describe('selectDigit', () => {
  it('keeps both strokes of a two-stroke 5 and drops specks', () => {
    const img = canvas(140, 140, 0);
    twoStrokeFive(img, 40, 10);
    fillRect(img, 5, 5, 6, 5, 255); // specks (dust)
    fillRect(img, 120, 130, 120, 130, 255);
    fillRect(img, 100, 40, 102, 42, 255); // a 3x3 blot near the digit: counted, but too small to be a stroke
    const { sel, components } = select(img);
    expect(components.length).toBe(5);
    expect(sel.kept).toHaveLength(2);
    expect(sel.componentCount).toBe(3); // specks are not counted as components
    expect(sel.box).toMatchObject({ minY: 27 }); // the bar (y = 30, radius 3) is part of the digit
    expect(sel.separateDigitCandidates).toBe(1);
  });

  it('keeps one digit and reports two candidates when two digits stand side by side', () => {
    const img = canvas(200, 120, 0);
    stroke(img, 40, 15, 40, 100, 8, 255); // "1"
    stroke(img, 100, 20, 150, 20, 8, 255); // "7": bar and diagonal
    stroke(img, 150, 20, 115, 105, 8, 255);
    const { sel } = select(img);
    expect(sel.kept).toHaveLength(1);
    expect(sel.separateDigitCandidates).toBe(2);
    expect(sel.box.minX).toBeGreaterThan(90); // the larger "7" anchors
  });

  it('drops a page edge running along the border but keeps a digit that touches it', () => {
    const img = canvas(160, 120, 0);
    fillRect(img, 0, 0, 6, 119, 255); // dark band along the left edge (page edge / shadow)
    stroke(img, 70, 10, 95, 10, 7, 255); // a "7" whose diagonal runs off the bottom edge
    stroke(img, 95, 10, 80, 119, 7, 255);
    const { sel } = select(img);
    expect(sel.kept).toHaveLength(1);
    expect(sel.box.minX).toBeGreaterThan(60);
    expect(sel.droppedEdgeComponents).toBe(1);
  });

  it('keeps a digit that meets the border along a stroke, rather than a speck beside it', () => {
    const img = canvas(200, 200, 0);
    stroke(img, 50, 3, 150, 3, 8, 255); // a "7" whose bar lies along the top edge (half its width)...
    stroke(img, 150, 3, 90, 180, 8, 255);
    fillRect(img, 20, 150, 27, 157, 255); // ...and a full stop
    const { sel } = select(img);
    expect(sel.box).toMatchObject({ minX: 46, minY: 0 });
    expect(sel.droppedEdgeComponents).toBe(0);
  });

  it('keeps a 7 whose bar lies along the top and whose stem runs down the right edge (strokes, not a corner)', () => {
    const img = canvas(200, 200, 0);
    stroke(img, 60, 3, 196, 3, 8, 255);
    stroke(img, 196, 3, 196, 80, 8, 255);
    stroke(img, 196, 80, 130, 190, 8, 255);
    fillRect(img, 20, 150, 27, 157, 255); // a full stop
    const { sel } = select(img);
    expect(sel.box).toMatchObject({ minX: 56, minY: 0 });
  });

  it('reads tightly cropped digits whose strokes run along whole sides (a 5, a 7)', () => {
    const five = canvas(60, 100, 0);
    for (const [x0, y0, x1, y1] of [[0, 3, 59, 3], [3, 0, 3, 45], [3, 45, 50, 50], [55, 50, 55, 85], [55, 88, 0, 96]] as const) stroke(five, x0, y0, x1, y1, 8, 255);
    const seven = canvas(60, 100, 0);
    for (const [x0, y0, x1, y1] of [[0, 3, 59, 3], [56, 0, 56, 40], [56, 40, 25, 99]] as const) stroke(seven, x0, y0, x1, y1, 8, 255);
    for (const img of [five, seven]) expect(select(img).sel.kept).toHaveLength(1);
  });

  it('drops a box\'s lines along the border and keeps the small digit inside them', () => {
    const img = canvas(256, 192, 0);
    fillRect(img, 0, 0, 255, 4, 255); // a frame of 5 px lines on every edge
    fillRect(img, 0, 187, 255, 191, 255);
    fillRect(img, 0, 0, 4, 191, 255);
    fillRect(img, 251, 0, 255, 191, 255);
    stroke(img, 128, 70, 128, 130, 3, 255); // a thin "1", 60 px tall
    const { sel } = select(img);
    expect(sel.box).toMatchObject({ minX: 127, maxX: 129 });
    expect(sel.droppedEdgeComponents).toBe(1);
  });

  it('drops a dark wedge on one side and a thick L-shaped table edge, keeping the digit between them', () => {
    const img = canvas(256, 192, 0);
    for (let y = 0; y < 50; y++) fillRect(img, 206 + y, y, 255, y, 255); // a wedge at the top right, along the right edge only
    fillRect(img, 180, 150, 255, 191, 255); // an L of table at the bottom right...
    fillRect(img, 236, 100, 255, 191, 255);
    stroke(img, 110, 60, 110, 140, 6, 255); // a "1"
    const { sel } = select(img);
    expect(sel.box).toMatchObject({ minX: 107, maxX: 113 });
    expect(sel.droppedEdgeComponents).toBe(2);
  });

  it('drops a band that tapers off along the border and a table corner', () => {
    const img = canvas(200, 200, 0);
    for (let x = 0; x < 140; x++) fillRect(img, x, 0, x, Math.round(12 - x / 12), 255); // a slanted band, thinning out
    for (let y = 120; y < 200; y++) fillRect(img, 0, y, y - 120, y, 255); // a dark corner, bottom left
    stroke(img, 100, 40, 100, 160, 8, 255); // a "1"
    const { sel } = select(img);
    expect(sel.box.minX).toBeGreaterThan(90);
    expect(sel.droppedEdgeComponents).toBe(2);
  });

  it('finds no digit in ink that lies along a whole side (a shadow, a gradient), even with nothing else there', () => {
    const img = canvas(160, 120, 0);
    fillRect(img, 0, 0, 30, 119, 255);
    expect(selectDigit(labelComponents(img.data.map((v) => (v > 127 ? 1 : 0)), 160, 120).components, 160, 120)).toBeNull();
  });

  it('falls back to border components when nothing else is there (a tight crop)', () => {
    const img = canvas(30, 40, 0);
    fillRect(img, 10, 0, 17, 39, 255); // a "1" cropped to touch top and bottom
    const { sel } = select(img);
    expect(sel.box).toMatchObject({ minX: 10, minY: 0, maxX: 17, maxY: 39 });
  });

  it('returns null when there is no ink', () => {
    expect(selectDigit([], 10, 10)).toBeNull();
  });
});
