/** One 8-connected region of ink pixels. Boxes are inclusive pixel coordinates. */
export interface Component {
  /** Label in `labels` (1-based). */
  readonly label: number;
  readonly area: number;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Pixels on each image edge (a digit touches an edge at a point; a page edge runs along it). */
  readonly edgeContact: { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number };
}

export interface Labelling {
  /** Per pixel: 0 for background, else the component's label. */
  readonly labels: Int32Array;
  readonly components: readonly Component[];
}

/**
 * Two-pass 8-connectivity labelling with union-find. Ink pixels are those with `pixels[i] > above`
 * (a 0/1 mask with the default 0, or an ink map and its threshold, which saves a binarising pass).
 * Labels are numbered in raster order of each component's first pixel, so output is deterministic.
 */
export function labelComponents(pixels: Uint8Array, width: number, height: number, above = 0): Labelling {
  const labels = new Int32Array(width * height);
  // Provisional labels: at most one per 2x2 block of pixels; parent[l] = l for roots.
  const parent = new Int32Array(((width * height) >> 1) + 2);
  let next = 1;

  for (let y = 0; y < height; y++) {
    const row = y * width;
    const up = row - width;
    for (let x = 0; x < width; x++) {
      if ((pixels[row + x] ?? 0) <= above) continue;
      // Already-visited neighbours: W, NW, N, NE. Whichever of them is ink touches N, so with N
      // set they are joined to it already; without N, NW touches W; only W-NE and NW-NE can still
      // be separate sets (Wu, Otoo and Suzuki's decision tree: at most one merge per pixel).
      const n = y > 0 ? (labels[up + x] ?? 0) : 0;
      let label = n;
      if (n === 0) {
        const ne = y > 0 && x < width - 1 ? (labels[up + x + 1] ?? 0) : 0;
        const w = x > 0 ? (labels[row + x - 1] ?? 0) : 0;
        const nw = y > 0 && x > 0 ? (labels[up + x - 1] ?? 0) : 0;
        label = merge(parent, w !== 0 ? w : nw, ne);
      }
      if (label === 0) {
        if (next >= parent.length) throw new Error('labelComponents: label table overflow');
        label = next;
        parent[next] = next;
        next++;
      }
      labels[row + x] = label;
    }
  }

  // A set's root is its smallest provisional label (merge keeps the smaller), and provisional
  // labels were handed out in raster order, so numbering roots in increasing order numbers the
  // components in raster order of their first pixel.
  const finalOf = new Int32Array(next);
  const stats: MutableComponent[] = [];
  for (let l = 1; l < next; l++) {
    const root = find(parent, l);
    if (root === l) {
      stats.push({ label: stats.length + 1, area: 0, minX: width, minY: height, maxX: -1, maxY: -1, edgeContact: { top: 0, bottom: 0, left: 0, right: 0 } });
      finalOf[l] = stats.length;
    } else {
      finalOf[l] = finalOf[root] ?? 0;
    }
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const provisional = labels[row + x] ?? 0;
      if (provisional === 0) continue;
      const final = finalOf[provisional] ?? 0;
      labels[row + x] = final;
      const c = stats[final - 1];
      if (c === undefined) continue;
      c.area++;
      if (x < c.minX) c.minX = x;
      if (x > c.maxX) c.maxX = x;
      if (y < c.minY) c.minY = y;
      if (y > c.maxY) c.maxY = y;
      if (y === 0) c.edgeContact.top++;
      if (y === height - 1) c.edgeContact.bottom++;
      if (x === 0) c.edgeContact.left++;
      if (x === width - 1) c.edgeContact.right++;
    }
  }
  return { labels, components: stats };
}

interface MutableComponent {
  label: number;
  area: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  edgeContact: { top: number; bottom: number; left: number; right: number };
}

function find(parent: Int32Array, l: number): number {
  // Path halving: every other node on the way up points to its grandparent.
  let p = parent[l] ?? l;
  while (p !== l) {
    const grand = parent[p] ?? p;
    parent[l] = grand;
    l = grand;
    p = parent[l] ?? l;
  }
  return l;
}

/** Joins the sets of `label` and `neighbour` (either may be 0 = none); returns the surviving root. */
function merge(parent: Int32Array, label: number, neighbour: number): number {
  if (neighbour === 0) return label;
  if (label === 0 || label === neighbour) return neighbour;
  const a = find(parent, label);
  const b = find(parent, neighbour);
  if (a === b) return a;
  if (a < b) {
    parent[b] = a;
    return a;
  }
  parent[a] = b;
  return b;
}
