import sharp from 'sharp';
import { isAppError } from '@inkwell/contracts';
import { makeOtherWriters, preprocess } from '@inkwell/imaging';
import { loadEnsemble } from '../imaging-diff/ensemble';
import { basePipeline } from '../imaging-diff/base-pipeline';
const read = await loadEnsemble('models');
const base = await basePipeline('09b648e');
for (const target of [16, 128, 200]) {
  let ok = 0, okBase = 0, n = 0;
  for (const src of ['strokes', 'mnist'] as const) for (const f of await makeOtherWriters({ count: 100, seed: 2, source: src })) {
    // Re-size the delivered image so its height is `target` (bilinear), keeping the tight crop.
    const meta = await sharp(Buffer.from(f.bytes)).metadata();
    const w = Math.max(8, Math.round(((meta.width ?? 8) * target) / (meta.height ?? target)));
    const img = sharp(Buffer.from(f.bytes)).greyscale().resize(w, target, { fit: 'fill', kernel: 'linear' });
    const bytes = new Uint8Array(f.look.format === 'png' ? await img.png().toBuffer() : await img.jpeg({ quality: 90 }).toBuffer());
    n++;
    for (const [pipe, inc] of [[preprocess, () => ok++], [base.preprocess, () => okBase++]] as const) {
      try { const r = await read((await pipe(bytes)).pixels); if (r.digit === f.label) inc(); } catch (e) { if (!isAppError(e)) throw e; }
    }
  }
  console.log(`height ${target}: now ${ok}/${n}, base ${okBase}/${n}`);
}
