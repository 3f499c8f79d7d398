/**
 * Preset training speed: one epoch of each preset architecture on the first `--images` MNIST
 * training digits (batch 64, AdamW 0.001, the trainer's defaults), timed by the engine's epoch
 * stats, then extrapolated to the 54,000 digits a job on `mnist` trains on (60,000 less the 10 %
 * validation split). A full ResNet-18 epoch on CPU is far too long to time whole here.
 *
 *   npx tsx bench/preset-epoch/main.ts [--images 512] [--threads 2] [--presets lenet5,resnet18]
 *
 * Installs nothing.
 */
import { parseArgs } from 'node:util';
import { loadMnist } from '@inkwell/ml-data';
import { PRESET_MODELS, PRESET_NAMES, type PresetName, train } from '@inkwell/ml';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '512' },
    threads: { type: 'string', default: '2' },
    presets: { type: 'string', default: PRESET_NAMES.join(',') },
  },
});
const n = Number(values.images);
const threads = Number(values.threads);
const JOB_IMAGES = 54_000;
const names = values.presets.split(',').filter((p): p is PresetName => (PRESET_NAMES as readonly string[]).includes(p));

const set = loadMnist('train');
for (const name of names) {
  const model = await train({
    arch: PRESET_MODELS[name].arch,
    optimizer: { kind: 'adamw', lr: 0.001 },
    epochs: 1,
    batchSize: 64,
    seed: 0,
    threads,
    data: { images: set.pixels.subarray(0, n * 784), labels: set.labels.subarray(0, n), count: n },
  });
  const epoch = model.history[0];
  if (!epoch) throw new Error(`${name}: no epoch stats`);
  const perImageMs = (epoch.seconds * 1000) / n;
  console.log(
    `${name}: ${n} images in ${epoch.seconds.toFixed(1)} s (${epoch.samplesPerSec.toFixed(1)} images/s, ${threads} threads); ` +
      `one ${JOB_IMAGES}-digit epoch ~ ${((perImageMs * JOB_IMAGES) / 60_000).toFixed(1)} min; peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
}
