import { digitAt, loadMnist } from '@inkwell/ml-data';
import { OTHER_WRITER_SOURCES, PHOTO_KINDS, makeOtherWriters, makePenDigits, makePhotoFixtures, makeShadowedDigits, makeTightCrops } from '@inkwell/imaging';
import sharp from 'sharp';

export interface LabelledImage {
  readonly category: string;
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly label: number;
}

/**
 * Every labelled image the repository can generate, by category: each photo fixture kind, shadowed
 * photos, tight crops, low-resolution digits by other writers, fine and broad pens, and MNIST test digits as they are (PNG) and as a scan
 * would give them (dark on light, 200 px, JPEG). `scale` multiplies every category's count.
 */
export async function labelledImages(scale: number, seed: number): Promise<LabelledImage[]> {
  const n = (count: number): number => Math.max(1, Math.round(count * scale));
  const out: LabelledImage[] = [];
  for (const kind of PHOTO_KINDS) {
    for (const f of await makePhotoFixtures({ count: n(100), seed, kinds: [kind] })) out.push({ category: `photo:${kind}`, name: f.name, bytes: f.bytes, label: f.label });
  }
  for (const d of await makeShadowedDigits({ count: n(300), seed })) out.push({ category: `shadow:${d.kind}`, name: d.name, bytes: d.bytes, label: d.label });
  for (const blur of [1, 3]) for (const c of await makeTightCrops({ count: n(100), from: seed * 100, blur })) out.push({ category: `tight-crop:blur${blur}`, name: c.name, bytes: c.bytes, label: c.label });
  for (const source of OTHER_WRITER_SOURCES) for (const d of await makeOtherWriters({ count: n(100), seed, source })) out.push({ category: `other-writers:${source}`, name: d.name, bytes: d.bytes, label: d.label });
  for (const scaleOfPage of [1, 2, 4]) for (const p of await makePenDigits(scaleOfPage, [1, 2, 4, 8, 16, 32])) out.push({ category: 'pen', name: p.name, bytes: p.bytes, label: p.label });
  const test = loadMnist('test');
  const raw = { raw: { width: 28, height: 28, channels: 1 as const } };
  for (let i = 0; i < n(500); i++) {
    const index = (seed * 997 + i) % test.count;
    const digit = digitAt(test, index);
    const label = test.labels[index] ?? 0;
    out.push({ category: 'mnist:png', name: `mnist${index}`, bytes: new Uint8Array(await sharp(Buffer.from(digit), raw).png().toBuffer()), label });
    const scan = await sharp(Buffer.from(digit.map((v) => 255 - v)), raw).resize(200, 200).jpeg({ quality: 80 }).toBuffer();
    out.push({ category: 'mnist:scan', name: `scan${index}`, bytes: new Uint8Array(scan), label });
  }
  return out;
}
