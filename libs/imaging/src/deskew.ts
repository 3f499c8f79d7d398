import type { FloatImage } from './gray-image';
import { PIPELINE_PARAMS } from './pipeline-params';

type DeskewParams = typeof PIPELINE_PARAMS.deskew;

export interface SkewEstimate {
  /** Tilt of the major axis from vertical in degrees; positive leans like "/" (top to the right). */
  readonly tiltDegrees: number;
  /** sqrt(major / minor second moment): 1 for a round blob, large for a stroke. */
  readonly elongation: number;
  /** Total ink (sum of intensities). */
  readonly mass: number;
}

/** Principal axis from the intensity-weighted second central moments (image y points down). */
export function estimateSkew(img: FloatImage): SkewEstimate {
  const { data, width, height } = img;
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x] ?? 0;
      m += v;
      sx += v * x;
      sy += v * y;
    }
  }
  if (m <= 0) return { tiltDegrees: 0, elongation: 1, mass: 0 };
  const cx = sx / m;
  const cy = sy / m;
  let mu20 = 0;
  let mu02 = 0;
  let mu11 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x] ?? 0;
      const dx = x - cx;
      const dy = y - cy;
      mu20 += v * dx * dx;
      mu02 += v * dy * dy;
      mu11 += v * dx * dy;
    }
  }
  const half = (mu20 + mu02) / 2;
  const root = Math.sqrt(((mu20 - mu02) / 2) ** 2 + mu11 * mu11);
  const major = half + root;
  const minor = Math.max(half - root, 1e-9);
  // Angle of the major axis from +x, in (-90, 90]; vertical strokes sit near +-90.
  const theta = (0.5 * Math.atan2(2 * mu11, mu20 - mu02) * 180) / Math.PI;
  const tilt = theta > 0 ? theta - 90 : theta + 90;
  // With y down, "/" has mu11 < 0, so theta is just above -90 and the tilt is positive.
  return { tiltDegrees: tilt, elongation: Math.sqrt(major / minor), mass: m };
}

/**
 * The rotation (degrees, positive = clockwise on screen) that makes the digit upright, or 0 when the
 * estimate is unreliable: too little ink, or not elongated enough for the axis to mean anything
 * (a 0 or an 8 has no clear axis). Corrections are capped at +-maxDegrees, since a larger tilt is
 * more likely the digit's own shape (a 7's diagonal) than a skewed photo.
 */
export function deskewRotation(est: SkewEstimate, params: DeskewParams = PIPELINE_PARAMS.deskew): number {
  if (est.mass < params.minMass || est.elongation < params.minElongation) return 0;
  if (Math.abs(est.tiltDegrees) < params.minDegrees) return 0;
  return -Math.max(-params.maxDegrees, Math.min(params.maxDegrees, est.tiltDegrees));
}

/** Rotates about the image centre (bilinear, zero outside) onto a canvas that holds the result. */
export function rotate(img: FloatImage, degrees: number): FloatImage {
  const { data, width: w, height: h } = img;
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const ow = Math.ceil(Math.abs(w * cos) + Math.abs(h * sin)) + 2;
  const oh = Math.ceil(Math.abs(w * sin) + Math.abs(h * cos)) + 2;
  const icx = (w - 1) / 2;
  const icy = (h - 1) / 2;
  const ocx = (ow - 1) / 2;
  const ocy = (oh - 1) / 2;
  const out = new Float32Array(ow * oh);
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= w || y >= h ? 0 : (data[y * w + x] ?? 0));
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      // Inverse map: rotate the output offset back by -a.
      const dx = x - ocx;
      const dy = y - ocy;
      const sx = cos * dx + sin * dy + icx;
      const sy = -sin * dx + cos * dy + icy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
      const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
      out[y * ow + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return { data: out, width: ow, height: oh };
}

/** The smallest sub-image holding every value above `floor`; null when there is none. */
export function tightCrop(img: FloatImage, floor = 0): FloatImage | null {
  const { data, width, height } = img;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((data[y * width + x] ?? 0) > floor) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        maxY = y;
      }
    }
  }
  if (maxX < 0) return null;
  if (minX === 0 && minY === 0 && maxX === width - 1 && maxY === height - 1) return img;
  const cw = maxX - minX + 1;
  const ch = maxY - minY + 1;
  const out = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) out.set(data.subarray((y + minY) * width + minX, (y + minY) * width + minX + cw), y * cw);
  return { data: out, width: cw, height: ch };
}
