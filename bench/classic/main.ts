/**
 * Trains the classic models at full size, exports them to ONNX and scores the EXPORTED files on
 * the 10,000 MNIST test digits with onnxruntime-node.
 *
 *   nice -n 10 npx tsx bench/classic/main.ts [--only svm|rf] [--svm-train 20000] [--svm-gamma scale|auto|<n>]
 *        [--svm-c 10] [--rf-trees 100] [--out <dir>]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportForestOnnx, exportSvmOnnx, trainForest, trainSvm } from '@inkwell/ml-classic';
import { loadMnist, permutation, Rng, subset, toFloatBatch } from '@inkwell/ml-data';
import { evaluateClassifier } from '@inkwell/ml-eval';
import { createOrtSession } from '@inkwell/onnx';
import * as ort from 'onnxruntime-node';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    'svm-train': { type: 'string', default: '20000' },
    'svm-calibration': { type: 'string', default: '5000' },
    'svm-gamma': { type: 'string', default: '0.025' },
    'svm-c': { type: 'string', default: '10' },
    'rf-trees': { type: 'string', default: '100' },
    out: { type: 'string', default: join(tmpdir(), 'inkwell-classic') },
  },
});
mkdirSync(args.out, { recursive: true });
const train = loadMnist('train');
const test = loadMnist('test');
const log = (m: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
/** CPU seconds this process used (user + system) since `since`: wall time alone misleads on a shared, busy machine. */
const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

async function scoreOnnx(name: string, bytes: Uint8Array): Promise<void> {
  const path = join(args.out, `${name}.onnx`);
  writeFileSync(path, bytes);
  const { session } = await createOrtSession(path);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const probs = new Float32Array(test.count * 10);
  const batch = 1000;
  for (let start = 0; start < test.count; start += batch) {
    const idx = Array.from({ length: Math.min(batch, test.count - start) }, (_, i) => start + i);
    const out = await session.run({ image: new ort.Tensor('float32', toFloatBatch(test, idx), [idx.length, 1, 28, 28]) });
    const p = out.probs;
    if (!p) throw new Error('model has no probs output');
    probs.set(p.data as Float32Array, start * 10);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(cpu0);
  const report = evaluateClassifier(test.labels, probs, { split: 'test' });
  log(`${name}: ONNX file ${path} (${(bytes.length / 1e6).toFixed(1)} MB), onnxruntime inference on ${test.count} digits ${seconds.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU`);
  log(`${name}: TEST accuracy ${(100 * report.accuracy).toFixed(2)} %, macro F1 ${report.macro.f1.toFixed(4)}, log loss ${report.log_loss.toFixed(4)}, ECE ${report.ece.toFixed(4)}, micro AUC ${report.roc.micro.auc?.toFixed(5)}`);
}

if (args.only !== 'rf') {
  const nTrain = Number(args['svm-train']);
  const nCal = Number(args['svm-calibration']);
  const order = permutation(train.count, new Rng(1));
  const gammaArg = args['svm-gamma'];
  const gamma = gammaArg === 'scale' || gammaArg === 'auto' ? gammaArg : Number(gammaArg);
  log(`svm: rbf, C=${args['svm-c']}, gamma=${gammaArg}, ${nTrain} training digits (random subset), ${nCal} calibration digits`);
  const cpu0 = process.cpuUsage();
  const rep = trainSvm(subset(train, order.subarray(0, nTrain)), { kernel: 'rbf', C: Number(args['svm-c']), gamma }, {
    calibration: subset(train, order.subarray(nTrain, nTrain + nCal)),
    log: (m) => { if (/pair \d-9|svm:/.test(m)) log(m); },
  });
  log(`svm: trained in ${rep.seconds.toFixed(1)} s wall, ${cpuSeconds(cpu0).toFixed(1)} s CPU, ${rep.model.supportVectors.length / 784} support vectors, gamma=${rep.model.kernel.gamma.toFixed(5)}`);
  await scoreOnnx('svm_rbf', exportSvmOnnx(rep.model));
}

if (args.only !== 'svm') {
  const nTrees = Number(args['rf-trees']);
  log(`random_forest: ${nTrees} trees, max_features sqrt, bootstrap, all ${train.count} training digits`);
  const cpu0 = process.cpuUsage();
  const rep = trainForest(train, { nEstimators: nTrees, seed: 1 }, log);
  log(`random_forest: trained in ${rep.seconds.toFixed(1)} s wall, ${cpuSeconds(cpu0).toFixed(1)} s CPU, ${rep.nodes} nodes`);
  await scoreOnnx('random_forest', exportForestOnnx(rep.model));
}
