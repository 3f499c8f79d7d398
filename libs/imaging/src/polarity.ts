import type { GrayImage } from './gray-image';
import { histogram256, otsuThreshold } from './otsu-threshold';
import { PIPELINE_PARAMS } from './pipeline-params';

type PolarityParams = typeof PIPELINE_PARAMS.polarity;

/**
 * True when the image is light ink on a dark background. Ink is sparse, so the side of the Otsu
 * split holding most pixels is the background; when the split is close to even (a bold digit in a
 * tight crop) the image border, which is nearly always background, decides.
 */
export function isLightOnDark(gray: GrayImage, params: PolarityParams = PIPELINE_PARAMS.polarity): boolean {
  const { threshold, highShare } = otsuThreshold(histogram256(gray.data));
  const darkShare = 1 - highShare;
  if (darkShare > params.darkShare) return true;
  if (darkShare < 1 - params.darkShare) return false;
  const { data, width: w, height: h } = gray;
  let dark = 0;
  let total = 0;
  const count = (i: number): void => {
    total++;
    if ((data[i] ?? 0) <= threshold) dark++;
  };
  for (let x = 0; x < w; x++) {
    count(x);
    if (h > 1) count((h - 1) * w + x);
  }
  for (let y = 1; y < h - 1; y++) {
    count(y * w);
    if (w > 1) count(y * w + w - 1);
  }
  return dark * 2 > total;
}
