import * as ort from 'onnxruntime-node';
import { createOrtSession } from '@inkwell/onnx';
import { buildNetwork } from '../arch/build-network';
import { buildInferGraph } from '../graph/infer-graph';
import { fillImages } from '../train/batches';
import type { DataSet } from '../train/config';
import { checkWeights } from '../train/weights';
import type { ModelWeights } from './export-onnx';

// One session per architecture object, reused across calls (evaluation runs it many times); it goes
// with the architecture when that is collected.
const sessions = new WeakMap<object, Promise<ort.InferenceSession>>();

/**
 * Logits [count * 10] from the training-side forward in inference mode (batch-norm on running
 * statistics, dropout off, nothing folded). `images` are MNIST bytes or already-normalised floats.
 */
export async function predictLogits(model: ModelWeights, images: DataSet['images'], count = images.length / 784): Promise<Float32Array> {
  const net = buildNetwork(model.arch);
  checkWeights(net, model.weights);
  let session = sessions.get(model.arch);
  if (!session) {
    session = createOrtSession(buildInferGraph(net)).then((o) => o.session);
    sessions.set(model.arch, session);
  }
  const s = await session;
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(model.weights)) feeds[name] = new ort.Tensor('float32', t.data, [...t.shape]);
  const out = new Float32Array(count * 10);
  const chunk = 1000;
  const xs = new Float32Array(chunk * 784);
  const set: DataSet = { images, labels: [], count };
  for (let from = 0; from < count; from += chunk) {
    const n = Math.min(chunk, count - from);
    fillImages(set, Array.from({ length: n }, (_, i) => from + i), 0, n, xs);
    const r = await s.run({ ...feeds, x: new ort.Tensor('float32', xs.subarray(0, n * 784), [n, 1, 28, 28]) });
    out.set(r.logits?.data as Float32Array, from * 10);
  }
  return out;
}
