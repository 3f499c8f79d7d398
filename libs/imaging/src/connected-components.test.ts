import { describe, expect, it } from 'vitest';
import { labelComponents } from './connected-components';

function maskFrom(rows: string[]): { mask: Uint8Array; width: number; height: number } {
  const height = rows.length;
  const width = rows[0]?.length ?? 0;
  const mask = new Uint8Array(width * height);
  rows.forEach((r, y) => [...r].forEach((ch, x) => (mask[y * width + x] = ch === '#' ? 1 : 0)));
  return { mask, width, height };
}

describe('labelComponents', () => {
  it('joins diagonal neighbours (8-connectivity) and keeps separate blobs apart', () => {
    const { mask, width, height } = maskFrom([
      '#.....##',
      '.#....##',
      '..#.....',
      '........',
      '.....#..',
    ]);
    const { components, labels } = labelComponents(mask, width, height);
    expect(components.map((c) => c.area)).toEqual([3, 4, 1]);
    expect(components[0]).toMatchObject({ minX: 0, minY: 0, maxX: 2, maxY: 2 });
    expect(components[1]).toMatchObject({ minX: 6, minY: 0, maxX: 7, maxY: 1 });
    expect(labels[2 * width + 2]).toBe(1);
    expect(labels[4 * width + 5]).toBe(3);
    expect(labels[3 * width + 3]).toBe(0);
  });

  it('merges branches that only meet further down (a U shape is one component)', () => {
    const { mask, width, height } = maskFrom([
      '#...#..#',
      '#...#..#',
      '#####..#',
      '.......#',
      '#######.',
    ]);
    const { components } = labelComponents(mask, width, height);
    expect(components).toHaveLength(2);
    expect(components[0]?.area).toBe(9);
    // The right bar and the bottom bar meet diagonally at (7,3)-(6,4).
    expect(components[1]?.area).toBe(11);
  });

  it('counts pixels on each image edge', () => {
    const { mask, width, height } = maskFrom(['####', '#...', '#..#']);
    const { components } = labelComponents(mask, width, height);
    expect(components[0]?.edgeContact).toEqual({ top: 4, bottom: 1, left: 3, right: 1 });
    expect(components[1]?.edgeContact).toEqual({ top: 0, bottom: 1, left: 0, right: 1 });
  });

  it('handles a full checkerboard (worst case for provisional labels) as one component', () => {
    const w = 64;
    const mask = new Uint8Array(w * w).map((_, i) => ((i % w) + Math.floor(i / w)) % 2);
    const { components } = labelComponents(mask, w, w);
    expect(components).toHaveLength(1);
    expect(components[0]?.area).toBe((w * w) / 2);
  });
});
