import { histogram256, normalizeForModel, otsuThreshold } from '@inkwell/imaging';
import { createOrtSession, readArtifact } from '@inkwell/model-artifacts';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { Reading } from '../imaging-diff/ensemble';

/**
 * The plain seed-004 design, for reference: gray, Otsu, the box of the ink above it, fit into
 * 20x20 (aspect kept), centre of mass at (14, 14), one CNN. No ink map, no components, no deskew.
 */
export async function seed004Pixels(bytes: Uint8Array): Promise<Float32Array> {
  const { data, info } = await sharp(Buffer.from(bytes)).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  const ink = Uint8Array.from(data, (v) => 255 - v);
  const t = otsuThreshold(histogram256(ink)).threshold;
  let [x0, y0, x1, y1] = [info.width, info.height, -1, -1];
  let max = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const v = ink[y * info.width + x] ?? 0;
      if (v <= t) continue;
      [x0, y0, x1, y1, max] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y), Math.max(max, v)];
    }
  }
  const out = new Float32Array(28 * 28);
  if (x1 < 0) return out;
  const [w, h] = [x1 - x0 + 1, y1 - y0 + 1];
  const scale = 20 / Math.max(w, h);
  const [sw, sh] = [Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale))];
  const small = await sharp(Buffer.from(ink), { raw: { width: info.width, height: info.height, channels: 1 } })
    .extract({ left: x0, top: y0, width: w, height: h })
    .resize(sw, sh, { fit: 'fill', kernel: 'linear' })
    .greyscale()
    .raw()
    .toBuffer();
  let [m, mx, my] = [0, 0, 0];
  const v01 = Float32Array.from(small, (v) => Math.min(1, v / Math.max(1, max)));
  v01.forEach((v, i) => {
    m += v;
    mx += v * (i % sw);
    my += v * Math.floor(i / sw);
  });
  const ox = Math.max(0, Math.min(28 - sw, Math.round(14 - (m > 0 ? mx / m : sw / 2))));
  const oy = Math.max(0, Math.min(28 - sh, Math.round(14 - (m > 0 ? my / m : sh / 2))));
  for (let y = 0; y < sh; y++) out.set(v01.subarray(y * sw, (y + 1) * sw), (y + oy) * 28 + ox);
  return out;
}

/** One member of a models folder, read alone (seed 004 served one CNN). */
export async function loadMember(models: string, id: string): Promise<(pixels: Float32Array) => Promise<Reading>> {
  const artifact = await readArtifact(models, id);
  const { session } = await createOrtSession(artifact.modelPath, { intraOpThreads: 1 });
  return async (pixels) => {
    const out = await session.run({ image: new ort.Tensor('float32', normalizeForModel(pixels, artifact.manifest.normalization), [1, 1, 28, 28]) });
    const probs = out['probs']?.data;
    if (!(probs instanceof Float32Array)) throw new Error(`${id} has no float "probs" output`);
    let digit = 0;
    for (let k = 1; k < 10; k++) if ((probs[k] ?? 0) > (probs[digit] ?? 0)) digit = k;
    return { digit, confidence: probs[digit] ?? 0 };
  };
}
