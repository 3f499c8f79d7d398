import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { correlation } from './testing/draw';
import { makePhonePhoto } from './fixtures/phone-photo';
import { mnistTestSet } from './fixtures/mnist-test-set';
import { digitAt } from '@inkwell/ml-data';
import { preprocess } from './preprocess';

const MB = 1024 * 1024;

/** Median process CPU time (ms; sharp's threads included) of `runs` calls: less disturbed by a loaded machine than wall time. */
async function cpuMs(f: () => Promise<unknown>, runs = 7): Promise<number> {
  await f(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    await f();
    const t = process.cpuUsage(t0);
    times.push((t.user + t.system) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? NaN;
}

// Its own file: the photos are 2-4 MB each and take ~1 s to make.
describe('a full-size phone photo (4032x3024 JPEG)', () => {
  it('is 2-4 MB, passes the default limits, and comes out as its MNIST digit, upright in both orientations', async () => {
    const mnistIndex = 0; // a 7: turned on its side it no longer looks like itself
    const source = Float32Array.from(digitAt(mnistTestSet(), mnistIndex), (v) => v / 255);
    for (const orientation of [1, 6] as const) {
      const photo = await makePhonePhoto({ mnistIndex, seed: 1, orientation });
      expect([photo.width, photo.height]).toEqual([4032, 3024]);
      expect(photo.bytes.length).toBeGreaterThan(2 * MB);
      expect(photo.bytes.length).toBeLessThan(4 * MB);
      const r = await preprocess(photo.bytes);
      // Orientation 6 is a portrait photo: upright only when EXIF is honoured during the shrink.
      expect([r.workingWidth, r.workingHeight]).toEqual(orientation === 6 ? [192, 256] : [256, 192]);
      expect(correlation(r.pixels, source), `orientation ${orientation}`).toBeGreaterThan(0.6);
    }
  });

  it('is decoded shrunk: preprocessing costs well under half of decoding it whole (shrink-on-load)', async () => {
    const photo = await makePhonePhoto({ mnistIndex: 1, seed: 2 });
    const pipeline = await cpuMs(() => preprocess(photo.bytes));
    const wholeDecode = await cpuMs(() => sharp(photo.bytes).raw().toBuffer());
    // Measured: ~30 vs ~170 ms. Were the shrink a separate step after a full decode, preprocessing
    // would cost more than the whole decode, not less.
    expect(pipeline).toBeLessThan(wholeDecode * 0.5);
  });
});
