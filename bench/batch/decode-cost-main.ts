/**
 * Decode and pixel-stage cost per image on the batch bench's own images (see decode-cost.ts):
 *   nice -n 19 npx tsx bench/batch/decode-cost-main.ts [--images 2000] [--zip PATH]
 * Builds the bench's ZIP (the first `--images` of the 50,000, same seed) when none is given.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeCost } from './decode-cost';
import { digitZip } from './digit-zip';

const { values } = parseArgs({ options: { images: { type: 'string', default: '2000' }, zip: { type: 'string' }, seed: { type: 'string', default: '24' } } });
const n = Number(values.images);
const seed = Number(values.seed);
const zip = values.zip ?? (await digitZip(join(tmpdir(), 'inkwell-bench-batch', `digits-${n}-seed${seed}.zip`), n, seed)).path;
const c = await decodeCost(zip, n);
const ms = (v: number): string => `${v.toFixed(3)} ms`;
console.log(`${c.images} images from ${zip}; CPU per image, one at a time:`);
console.log(`  preprocess (decode + pixel stages)  ${ms(c.preprocessMs)}`);
console.log(`  decode as preprocess does           ${ms(c.decodeMs)}  (JS decoder took ${c.jsDecoded}, ${c.mismatched} differ from sharp)`);
console.log(`  sharp decode to gray                ${ms(c.sharpDecodeMs)}`);
console.log(`  pixel stages (preprocessGray)       ${ms(c.pixelMs)}`);
