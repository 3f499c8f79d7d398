// Latency of @inkwell/imaging's preprocess() per input type, one request at a time (as the
// inference service calls it). Run: `nice -n 10 npx tsx bench/preprocess/main.ts [iterations]`
import { digitAt, loadMnist } from '@inkwell/ml-data';
import { type PhotoKind, makePhotoFixtures, preprocess } from '@inkwell/imaging';
import sharp, { type Sharp } from 'sharp';

const iterations = Number(process.argv[2] ?? 300);
const test = loadMnist('test');

async function photos(kind: PhotoKind, count: number): Promise<Uint8Array[]> {
  return (await makePhotoFixtures({ count, seed: 99, kinds: [kind] })).map((f) => f.bytes);
}

async function mnistEncoded(count: number, encode: (s: Sharp) => Sharp, side: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    // Inverted to dark-on-white, as a photo or scan would be.
    const px = Buffer.from(digitAt(test, i).map((v) => 255 - v));
    let img = sharp(px, { raw: { width: 28, height: 28, channels: 1 } });
    if (side !== 28) img = sharp(await img.resize(side, side, { kernel: 'cubic' }).raw().toBuffer(), { raw: { width: side, height: side, channels: 1 } });
    out.push(new Uint8Array(await encode(img).toBuffer()));
  }
  return out;
}

const cases: [string, Uint8Array[]][] = [
  ['png 28x28 (MNIST digit)', await mnistEncoded(20, (s) => s.png(), 28)],
  ['jpeg 28x28', await mnistEncoded(20, (s) => s.jpeg({ quality: 90 }), 28)],
  ['jpeg 200x200', await mnistEncoded(20, (s) => s.jpeg({ quality: 85 }), 200)],
  ['paper_jpeg ~100-300 px', await photos('paper_jpeg', 20)],
  ['off_centre_png 400x300', await photos('off_centre_png', 20)],
  ['png16 (16-bit gray)', await photos('png16', 20)],
  ['cmyk_jpeg', await photos('cmyk_jpeg', 20)],
  ['large_canvas_jpeg 1000x800', await photos('large_canvas_jpeg', 20)],
];

/** How loaded this machine is right now: ns per element of a trivial loop (~0.3-0.6 on an idle core). */
function calibrate(): number {
  const a = new Uint8Array(1 << 20).map((_, i) => i);
  let sum = 0;
  const t0 = performance.now();
  for (let r = 0; r < 50; r++) for (let i = 0; i < a.length; i++) sum += a[i] ?? 0;
  return ((performance.now() - t0) * 1e6) / (50 * a.length) + sum * 0;
}

/** Wall-clock times (sorted) and mean CPU time per call (process-wide, sharp's threads included). */
async function timeIt(inputs: Uint8Array[], f: (b: Uint8Array) => Promise<unknown>): Promise<{ wall: number[]; cpuMs: number }> {
  for (let i = 0; i < 30; i++) await f(inputs[i % inputs.length] ?? new Uint8Array()); // warm-up (JIT, sharp)
  const wall: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const input = inputs[i % inputs.length] ?? new Uint8Array();
    const t0 = performance.now();
    await f(input);
    wall.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall: wall.sort((a, b) => a - b), cpuMs: (cpu.user + cpu.system) / 1000 / iterations };
}

const q = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
console.log(`preprocess() latency, ${iterations} runs per case, sequential, node ${process.version}, sharp concurrency ${sharp.concurrency()}`);
console.log(`load check: ${calibrate().toFixed(2)} ns/element on a trivial loop (idle core: ~0.3-0.6)`);
// CPU time per call is less disturbed by other processes than wall time on a shared machine.
console.log(`${'case'.padEnd(28)} ${'size'.padStart(10)}   preprocess wall p50 / p99   cpu/call   (sharp decode alone: wall p50, cpu/call)`);
for (const [name, inputs] of cases) {
  const full = await timeIt(inputs, (b) => preprocess(b));
  const decode = await timeIt(inputs, (b) => sharp(b).raw().toBuffer());
  const kb = inputs.reduce((s, b) => s + b.length, 0) / inputs.length / 1024;
  const ms = (v: number): string => v.toFixed(2).padStart(6);
  console.log(`${name.padEnd(28)} ${kb.toFixed(1).padStart(7)} KB   ${ms(q(full.wall, 0.5))} / ${ms(q(full.wall, 0.99))} ms   ${ms(full.cpuMs)} ms   (${ms(q(decode.wall, 0.5))} ms, ${ms(decode.cpuMs)} ms)`);
}
console.log(`load check: ${calibrate().toFixed(2)} ns/element`);
