// Writes a handwritten digit from the MNIST test set as a PNG, for k6/predict.js:
//   npx tsx k6/make-digit.ts [out.png] [index] [scale]
// Defaults: <tmpdir>/inkwell-digit.png (generated, never committed), test image 0, scale 4
// (112x112). Drawn dark-on-light like ink on paper, which is what users
// upload, rather than MNIST's light-on-dark. Prints the true label so results can be eyeballed.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { digitAt, loadMnist } from '@inkwell/ml-data';

const [outArg, indexArg, scaleArg] = process.argv.slice(2);
const out = resolve(outArg ?? join(tmpdir(), 'inkwell-digit.png'));
const index = Number(indexArg ?? 0);
const scale = Number(scaleArg ?? 4);

const set = loadMnist('test');
if (!Number.isInteger(index) || index < 0 || index >= set.count) {
  throw new Error(`index must be an integer in [0, ${set.count - 1}], got ${indexArg}`);
}
if (!Number.isInteger(scale) || scale < 1 || scale > 32) {
  throw new Error(`scale must be an integer in [1, 32], got ${scaleArg}`);
}

const ink = Buffer.from(digitAt(set, index).map((v) => 255 - v));
await sharp(ink, { raw: { width: set.cols, height: set.rows, channels: 1 } })
  .resize(set.cols * scale, set.rows * scale, { kernel: 'nearest' })
  .toColourspace('b-w')
  .png()
  .toFile(out);
console.log(`${out}: MNIST test #${index}, label ${set.labels[index] ?? '?'}, ${set.cols * scale}x${set.rows * scale}`);
