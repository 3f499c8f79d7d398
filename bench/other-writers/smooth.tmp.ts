import sharp from 'sharp';
import { makeOtherWriters } from '@inkwell/imaging';
import { resize } from '../../libs/imaging/src/resample';
import { labelledImages } from '../imaging-diff/labelled-images';
async function residual(bytes: Uint8Array): Promise<number> {
  const { data, info } = await sharp(Buffer.from(bytes)).flatten({ background: '#fff' }).greyscale().resize(256, 256, { fit: 'inside', withoutEnlargement: true, kernel: 'linear' }).raw().toBuffer({ resolveWithObject: true });
  const img = { data: Float32Array.from(data, (v) => v / 255), width: info.width, height: info.height };
  const hs = 20, ws = Math.max(2, Math.round((img.width * hs) / img.height));
  const back = resize(resize(img, ws, hs), img.width, img.height);
  let m = 0; for (const v of img.data) m += v; m /= img.data.length;
  let e = 0, t = 0; img.data.forEach((v, i) => { e += (v - (back.data[i] ?? 0)) ** 2; t += (v - m) ** 2; });
  return t > 0 ? e / t : 1;
}
const groups = new Map<string, number[]>();
const add = (k: string, v: number) => { const g = groups.get(k) ?? []; g.push(v); groups.set(k, g); };
for (const target of [64, 128, 200]) for (const src of ['strokes', 'mnist'] as const) for (const f of await makeOtherWriters({ count: 40, seed: 1, source: src })) {
  const meta = await sharp(Buffer.from(f.bytes)).metadata();
  const w = Math.max(8, Math.round(((meta.width ?? 8) * target) / (meta.height ?? target)));
  const img = sharp(Buffer.from(f.bytes)).greyscale().resize(w, target, { fit: 'fill', kernel: 'linear' });
  add(`ow${target}`, await residual(new Uint8Array(f.look.format === 'png' ? await img.png().toBuffer() : await img.jpeg({ quality: 90 }).toBuffer())));
}
for (const im of await labelledImages(0.2, 1)) if (!im.category.startsWith('other')) add(im.category, await residual(im.bytes));
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
for (const [k, g] of groups) console.log(k.padEnd(26), [0, 0.05, 0.5, 0.95, 1].map((p) => q(g, p).toFixed(3)).join(' '));
