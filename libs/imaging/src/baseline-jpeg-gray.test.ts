import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeBaselineJpegGray } from './baseline-jpeg-gray';
import { mulberry32 } from './fixtures/prng';
import { toGray } from './gray-convert';
import { preprocess } from './preprocess';

/** What decodeToGray got from sharp for every JPEG before the JS decoder: libvips's raw output, then BT.601 gray. */
async function sharpGray(bytes: Uint8Array): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(bytes, { failOn: 'truncated' }).raw().toBuffer({ resolveWithObject: true });
  return { data: toGray(data, info.width * info.height, info.channels), width: info.width, height: info.height };
}

/**
 * A gray picture that exercises the decoder: a dark stroke on paper plus noise, so blocks carry
 * high-frequency coefficients (and the IDCT's clamping at 0 and 255), next to flat paper blocks.
 */
function grayPicture(width: number, height: number, seed: number, noise: number): Buffer {
  const rng = mulberry32(seed);
  const px = Buffer.alloc(width * height);
  const paper = 180 + Math.floor(rng() * 76);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - width / 2, y - height / 2) - Math.min(width, height) / 3;
      const v = Math.abs(d) < 2 ? 10 : paper;
      px[y * width + x] = Math.max(0, Math.min(255, Math.round(v + (rng() - 0.5) * noise)));
    }
  }
  return px;
}

const raw = (width: number, height: number, channels: 1 | 3) => ({ raw: { width, height, channels } });

describe('decodeBaselineJpegGray', () => {
  it('gives exactly the gray pixels sharp gives, for gray scans of many sizes and qualities, saved as YCbCr or as grayscale', async () => {
    const rng = mulberry32(7);
    let checked = 0;
    for (let i = 0; i < 120; i++) {
      const width = 8 + Math.floor(rng() * 120);
      const height = 8 + Math.floor(rng() * 120);
      const quality = 5 + Math.floor(rng() * 96);
      const px = grayPicture(width, height, i, i % 3 === 0 ? 255 : 40);
      const options = { quality, chromaSubsampling: i % 2 === 0 ? '4:2:0' : '4:4:4', optimiseCoding: i % 4 < 2, trellisQuantisation: i % 5 === 0, quantisationTable: i % 9 } as const;
      const ycc = await sharp(px, raw(width, height, 1)).jpeg(options).toBuffer();
      const gray = await sharp(px, raw(width, height, 1)).toColourspace('b-w').jpeg(options).toBuffer();
      for (const bytes of [ycc, gray]) {
        const mine = decodeBaselineJpegGray(bytes);
        expect(mine, `${width}x${height} q${quality}`).not.toBeNull();
        expect(mine).toEqual(await sharpGray(bytes));
        checked++;
      }
    }
    expect(checked).toBe(240);
  });

  it('declines what it does not decode exactly, so sharp does: colour, progressive, EXIF, ICC, truncated, PNG', async () => {
    const width = 40;
    const height = 32;
    const px = grayPicture(width, height, 1, 40);
    const colour = Buffer.alloc(width * height * 3);
    for (let i = 0; i < width * height; i++) colour.set([px[i] ?? 0, 40, 200], i * 3);
    const baseline = await sharp(px, raw(width, height, 1)).jpeg().toBuffer();
    const declined = {
      colour: await sharp(colour, raw(width, height, 3)).jpeg().toBuffer(),
      progressive: await sharp(px, raw(width, height, 1)).jpeg({ progressive: true }).toBuffer(),
      exif: await sharp(px, raw(width, height, 1)).withMetadata({ orientation: 6 }).jpeg().toBuffer(),
      icc: await sharp(px, raw(width, height, 1)).withIccProfile('srgb').jpeg().toBuffer(),
      truncated: baseline.subarray(0, Math.floor(baseline.length * 0.8)),
      png: await sharp(px, raw(width, height, 1)).png().toBuffer(),
    };
    expect(decodeBaselineJpegGray(baseline)).not.toBeNull();
    for (const [name, bytes] of Object.entries(declined)) expect({ name, decoded: decodeBaselineJpegGray(bytes) }).toEqual({ name, decoded: null });
  });

  it('leaves a broken small JPEG to sharp, which refuses it as before', async () => {
    const baseline = await sharp(grayPicture(48, 48, 2, 40), raw(48, 48, 1)).jpeg().toBuffer();
    // Cut inside the entropy-coded data: the header still reads, the scan runs out.
    await expect(preprocess(baseline.subarray(0, baseline.length - 40))).rejects.toMatchObject({ code: 'invalid_image' });
  });

  it('never throws or hangs on damaged files: 3,000 mutations of small JPEGs each decode, or are declined', async () => {
    const rng = mulberry32(24);
    const seeds = await Promise.all([
      sharp(grayPicture(28, 28, 3, 30), raw(28, 28, 1)).jpeg({ quality: 90 }).toBuffer(),
      sharp(grayPicture(40, 33, 4, 60), raw(40, 33, 1)).jpeg({ quality: 50 }).toBuffer(),
      sharp(Buffer.concat([grayPicture(36, 36, 5, 20), grayPicture(36, 36, 5, 20), grayPicture(36, 36, 5, 20)]), raw(36, 36, 3)).jpeg({ quality: 75 }).toBuffer(),
    ]);
    const t0 = performance.now();
    let declined = 0;
    for (let i = 0; i < 3_000; i++) {
      const bytes = new Uint8Array(seeds[i % seeds.length] as Buffer);
      // A few random bytes set anywhere (headers and tables included), sometimes a cut.
      for (let k = 1 + Math.floor(rng() * 4); k > 0; k--) bytes[Math.floor(rng() * bytes.length)] = Math.floor(rng() * 256);
      const cut = rng() < 0.2 ? bytes.subarray(0, Math.floor(rng() * bytes.length)) : bytes;
      const image = decodeBaselineJpegGray(cut);
      if (image === null) declined++;
      else expect(image.data.length).toBe(image.width * image.height);
    }
    expect(declined).toBeGreaterThan(0);
    // About 0.1 ms a file when decoded: minutes here would mean a loop that does not end.
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it('agrees with sharp, or declines, where a crafted DC term overflows the IDCT (libjpeg wraps where sharp clamps)', async () => {
    // One 8x8 gray block with only a DC difference of 2000 (size category 11), times the DC quantiser.
    const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255, ...body];
    const crafted = (q0: number): Uint8Array => {
      const bits = `0${(2000).toString(2)}0`.padEnd(16, '1'); // DC code 0, its 11 bits, EOB (code 0), padding
      return Uint8Array.from([
        0xff, 0xd8,
        ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
        ...segment(0xdb, [0, q0, ...Array<number>(63).fill(1)]),
        ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
        ...segment(0xc4, [0x00, 1, ...Array<number>(15).fill(0), 11]),
        ...segment(0xc4, [0x10, 1, ...Array<number>(15).fill(0), 0]),
        ...segment(0xda, [1, 1, 0, 0, 63, 0]),
        parseInt(bits.slice(0, 8), 2), parseInt(bits.slice(8, 16), 2),
        0xff, 0xd9,
      ]);
    };
    for (const q0 of [1, 2, 3, 4, 8, 16]) {
      const bytes = crafted(q0);
      const mine = decodeBaselineJpegGray(bytes);
      if (mine === null) continue;
      expect({ q0, data: Array.from(mine.data) }).toEqual({ q0, data: Array.from((await sharpGray(bytes)).data) });
    }
    // A DC term of 2000 at quantiser 1 stays inside the range both agree on, and is decoded here.
    expect(decodeBaselineJpegGray(crafted(1))).not.toBeNull();
  });
});
