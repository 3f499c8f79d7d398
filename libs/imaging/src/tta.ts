import type { TtaProfile } from '@inkwell/contracts';

/** One test-time variant of the 28x28 input: a shift in pixels, a rotation and a scale about the centre. */
interface Variant {
  readonly dx: number;
  readonly dy: number;
  readonly degrees: number;
  readonly scale: number;
}

const IDENTITY: Variant = { dx: 0, dy: 0, degrees: 0, scale: 1 };
const SHIFTS: Variant[] = [
  { ...IDENTITY, dx: 1 },
  { ...IDENTITY, dx: -1 },
  { ...IDENTITY, dy: 1 },
  { ...IDENTITY, dy: -1 },
];

/** Small enough that a digit stays the same digit (a 6 rotated 10 degrees is still a 6). */
export const TTA_VARIANTS: Readonly<Record<TtaProfile, readonly Variant[]>> = {
  none: [IDENTITY],
  light: [IDENTITY, ...SHIFTS],
  strong: [
    IDENTITY,
    ...SHIFTS,
    { ...IDENTITY, degrees: 8 },
    { ...IDENTITY, degrees: -8 },
    { ...IDENTITY, scale: 0.9 },
    { ...IDENTITY, scale: 1.1 },
  ],
};

const SIDE = 28;
const CENTRE = 13.5;

/** Bilinear sample of the image at (x, y); outside is background (0). */
function sample(px: Float32Array, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number): number => (xx < 0 || yy < 0 || xx >= SIDE || yy >= SIDE ? 0 : (px[yy * SIDE + xx] ?? 0));
  return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
}

function warp(px: Float32Array, v: Variant, out: Float32Array, offset: number): void {
  if (v === IDENTITY) {
    out.set(px, offset);
    return;
  }
  // Inverse mapping: for each output pixel, where it comes from in the input.
  const rad = (v.degrees * Math.PI) / 180;
  const cos = Math.cos(rad) / v.scale;
  const sin = Math.sin(rad) / v.scale;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const ux = x - v.dx - CENTRE;
      const uy = y - v.dy - CENTRE;
      out[offset + y * SIDE + x] = sample(px, cos * ux + sin * uy + CENTRE, -sin * ux + cos * uy + CENTRE);
    }
  }
}

/** The profile's variants of one 28x28 image, stacked as rows x 784 (row 0 is the image itself). */
export function ttaBatch(pixels: Float32Array, profile: TtaProfile): { pixels: Float32Array; rows: number } {
  if (pixels.length !== SIDE * SIDE) throw new Error(`ttaBatch: expected 784 pixels, got ${pixels.length}`);
  const variants = TTA_VARIANTS[profile];
  const out = new Float32Array(variants.length * SIDE * SIDE);
  variants.forEach((v, i) => warp(pixels, v, out, i * SIDE * SIDE));
  return { pixels: out, rows: variants.length };
}

/** Mean over rows of a rows x 10 block. */
export function meanProbs(probs: Float32Array, rows: number): Float32Array {
  const out = new Float32Array(10);
  for (let r = 0; r < rows; r++) for (let c = 0; c < 10; c++) out[c] = (out[c] ?? 0) + (probs[r * 10 + c] ?? 0);
  for (let c = 0; c < 10; c++) out[c] = (out[c] ?? 0) / rows;
  return out;
}
