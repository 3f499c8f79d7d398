/**
 * Trains the `cnn` architecture to high MNIST accuracy and measures it from the exported ONNX file in
 * onnxruntime-node (not from the engine), writing the model to --out.
 *
 *   npx tsx bench/train-speed/accuracy.ts [--epochs 4] [--out /tmp/cnn.onnx]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadMnist } from '@inkwell/ml-data';
import { exportOnnx, train } from '@inkwell/ml';
import { createOrtSession } from '@inkwell/onnx';
import * as ort from 'onnxruntime-node';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '4' }, out: { type: 'string', default: '/tmp/inkwell-cnn.onnx' } } });
const trainSet = loadMnist('train');
const testSet = loadMnist('test');

const model = await train({
  arch: { kind: 'cnn', filters: [32, 64], kernel: 3, dense: [128], dropout: 0.25, batchNorm: true },
  optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
  schedule: { kind: 'one-cycle', pctStart: 0.25 },
  epochs: Number(values.epochs),
  batchSize: 128,
  seed: 1,
  labelSmoothing: 0.05,
  data: { images: trainSet.pixels, labels: trainSet.labels, count: trainSet.count },
  onProgress: (p) => {
    if (p.type === 'epoch') console.log(`epoch ${p.epoch}: train loss ${p.trainLoss.toFixed(4)} acc ${(p.trainAccuracy * 100).toFixed(2)}% in ${p.seconds.toFixed(1)} s`);
    if (p.type === 'log') console.log(p.message);
  },
});

const bytes = exportOnnx(model, { temperature: 1 });
writeFileSync(values.out, bytes);
const { session } = await createOrtSession(bytes);
let correct = 0;
const chunk = 1000;
const images = new Float32Array(chunk * 784);
for (let from = 0; from < testSet.count; from += chunk) {
  for (let i = 0; i < chunk * 784; i++) images[i] = ((testSet.pixels[from * 784 + i] ?? 0) / 255 - 0.1307) / 0.3081;
  const probs = (await session.run({ image: new ort.Tensor('float32', images, [chunk, 1, 28, 28]) })).probs?.data as Float32Array;
  for (let r = 0; r < chunk; r++) {
    const row = Array.from(probs.subarray(r * 10, r * 10 + 10));
    if (row.indexOf(Math.max(...row)) === testSet.labels[from + r]) correct++;
  }
}
console.log(`test accuracy of ${values.out} in onnxruntime-node: ${((correct / testSet.count) * 100).toFixed(2)}% (${correct}/${testSet.count})`);
