// Decode + preprocessing cost of a full-size phone photo (4032x3024 JPEG, 2-4 MB) against a
// 1024x768 photo of the same scene and a 28x28 MNIST PNG, in one run, one call at a time (as the
// inference service calls preprocess()). Issue 28's target: under 60 ms for the 12 MP photo.
// Run: `nice -n 10 npx tsx bench/phone-photo/main.ts [runs=30]`
import { digitAt, loadMnist } from '@inkwell/ml-data';
import { makePhonePhoto, preprocess } from '@inkwell/imaging';
import sharp from 'sharp';

const runs = Number(process.argv[2] ?? 30);
const MB = 1024 * 1024;

const mnist28 = new Uint8Array(await sharp(Buffer.from(digitAt(loadMnist('test'), 0).map((v) => 255 - v)), { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer());
const cases: [string, Uint8Array][] = [
  ['png 28x28 (MNIST digit)', mnist28],
  ['jpeg 1024x768 photo', (await makePhonePhoto({ mnistIndex: 0, seed: 1, width: 1024, height: 768 })).bytes],
  ['jpeg 4032x3024 photo', (await makePhonePhoto({ mnistIndex: 0, seed: 1 })).bytes],
  ['jpeg 4032x3024 portrait', (await makePhonePhoto({ mnistIndex: 0, seed: 1, orientation: 6 })).bytes],
];

/** How loaded this machine is right now: ns per element of a trivial loop (~0.3-0.6 on an idle core). */
function calibrate(): number {
  const a = new Uint8Array(1 << 20).map((_, i) => i);
  let sum = 0;
  const t0 = performance.now();
  for (let r = 0; r < 50; r++) for (let i = 0; i < a.length; i++) sum += a[i] ?? 0;
  return ((performance.now() - t0) * 1e6) / (50 * a.length) + sum * 0;
}

interface Timing {
  readonly wall: number[];
  readonly cpuMs: number;
}

// No RSS column: after the warm-up and the photos' generation the heap has already grown, so a
// peak taken here says nothing (decompression-bomb.test.ts measures memory, one case at a time).
/** Sorted wall times and mean process CPU per call (sharp's threads included; less disturbed by other load than wall time). */
async function timeIt(f: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < 5; i++) await f(); // warm-up (JIT, sharp's caches)
  const wall: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    wall.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall: wall.sort((a, b) => a - b), cpuMs: (cpu.user + cpu.system) / 1000 / runs };
}

const q = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const ms = (v: number): string => v.toFixed(1).padStart(6);
const cpuOf = (name: string): number => results.find(([n]) => n === name)?.[1].cpuMs ?? NaN;

console.log(`preprocess() of phone photos, ${runs} runs per case, sequential, node ${process.version}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), concurrency ${sharp.concurrency()}`);
console.log(`load check: ${calibrate().toFixed(2)} ns/element on a trivial loop (idle core: ~0.3-0.6)`);
console.log(`${'case'.padEnd(26)} ${'size'.padStart(9)}   wall p50 / p95   cpu/call   (sharp full decode, no shrink: p50, cpu/call)`);
const results: [string, Timing][] = [];
for (const [name, bytes] of cases) {
  const full = await timeIt(() => preprocess(bytes));
  const whole = await timeIt(() => sharp(bytes, { autoOrient: true }).raw().toBuffer());
  results.push([name, full]);
  const size = bytes.length >= MB ? `${(bytes.length / MB).toFixed(2)} MB` : `${(bytes.length / 1024).toFixed(1)} KB`;
  console.log(
    `${name.padEnd(26)} ${size.padStart(9)}   ${ms(q(full.wall, 0.5))} / ${ms(q(full.wall, 0.95))} ms   ${ms(full.cpuMs)} ms   (${ms(q(whole.wall, 0.5))} ms, ${ms(whole.cpuMs)} ms)`,
  );
}
const p50 = (name: string): number => q(results.find(([n]) => n === name)?.[1].wall ?? [], 0.5);
const big = p50('jpeg 4032x3024 photo');
console.log(`ratios (p50): 4032x3024 / 1024x768 = ${(big / p50('jpeg 1024x768 photo')).toFixed(1)}, 4032x3024 / 28x28 = ${(big / p50('png 28x28 (MNIST digit)')).toFixed(1)}`);
console.log(`ratios (cpu/call): 4032x3024 / 1024x768 = ${(cpuOf('jpeg 4032x3024 photo') / cpuOf('jpeg 1024x768 photo')).toFixed(1)}, 4032x3024 / 28x28 = ${(cpuOf('jpeg 4032x3024 photo') / cpuOf('png 28x28 (MNIST digit)')).toFixed(1)}`);
console.log(`target: 4032x3024 under 60 ms: p50 ${big.toFixed(1)} ms -> ${big < 60 ? 'met' : 'NOT met'}`);
console.log(`load check: ${calibrate().toFixed(2)} ns/element`);
