import type { FloatImage } from './gray-image';
import { histogramQuantile } from './histogram-quantile';
import { PIPELINE_PARAMS } from './pipeline-params';
import type { DigitSelection } from './select-digit';

type IntensityParams = typeof PIPELINE_PARAMS.intensity;

/**
 * Cuts the kept components out of the ink map as 0..1 intensities with everything else set to 0.
 *
 * The gray values (not the binary mask) are kept, so stroke edges stay soft like MNIST's
 * antialiased ones: pixels of the kept components plus a 1-pixel ring around them (the soft edge
 * the threshold cut off). Intensities are stretched so `low` (a share of the threshold) maps to 0
 * and the stroke's median ink maps to 1: faint pencil and black marker both end up with saturated
 * stroke cores, which is what a model trained on MNIST has seen.
 */
export function cropDigit(
  ink: Uint8Array,
  labels: Int32Array,
  width: number,
  height: number,
  selection: DigitSelection,
  threshold: number,
  params: IntensityParams = PIPELINE_PARAMS.intensity,
): FloatImage {
  const { box } = selection;
  const x0 = Math.max(0, box.minX - 1);
  const y0 = Math.max(0, box.minY - 1);
  const cw = Math.min(width - 1, box.maxX + 1) - x0 + 1;
  const ch = Math.min(height - 1, box.maxY + 1) - y0 + 1;

  let maxLabel = 0;
  for (const l of selection.kept) maxLabel = Math.max(maxLabel, l);
  const isKept = new Uint8Array(maxLabel + 1);
  for (const l of selection.kept) isKept[l] = 1;

  // Mark kept pixels and histogram their ink for the stretch; then widen the marks to their 8
  // neighbours as two 3-wide passes (along rows, then along columns, the latter fused into the
  // output loop), which marks the same pixels as stamping a 3x3 square on each but touches each
  // pixel twice instead of nine times per kept one.
  const kept = new Uint8Array(cw * ch);
  const hist = new Uint32Array(256);
  let keptCount = 0;
  for (let y = box.minY; y <= box.maxY; y++) {
    for (let x = box.minX; x <= box.maxX; x++) {
      const l = labels[y * width + x] ?? 0;
      if (l === 0 || l > maxLabel || !isKept[l]) continue;
      const v = ink[y * width + x] ?? 0;
      hist[v] = (hist[v] ?? 0) + 1;
      keptCount++;
      kept[(y - y0) * cw + x - x0] = 1;
    }
  }
  const wide = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    const row = y * cw;
    for (let x = 0; x < cw; x++) {
      wide[row + x] = (kept[row + x] ?? 0) | (x > 0 ? (kept[row + x - 1] ?? 0) : 0) | (x < cw - 1 ? (kept[row + x + 1] ?? 0) : 0);
    }
  }
  const low = params.lowShareOfThreshold * threshold;
  const high = Math.max(low + 1, histogramQuantile(hist, keptCount, params.highQuantile));
  const scale = 1 / (high - low);
  const data = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    const row = y * cw;
    for (let x = 0; x < cw; x++) {
      const i = row + x;
      // The column pass of the widening, read in place.
      if (!((wide[i] ?? 0) | (y > 0 ? (wide[i - cw] ?? 0) : 0) | (y < ch - 1 ? (wide[i + cw] ?? 0) : 0))) continue;
      const v = ((ink[(y + y0) * width + x + x0] ?? 0) - low) * scale;
      data[i] = v <= 0 ? 0 : v >= 1 ? 1 : v;
    }
  }
  return { data, width: cw, height: ch };
}
