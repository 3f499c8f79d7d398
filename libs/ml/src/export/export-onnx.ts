import { GraphBuilder } from '@inkwell/onnx';
import { z } from 'zod';
import { buildNetwork, IMAGE_SHAPE } from '../arch/build-network';
import type { ArchConfig } from '../arch/schema';
import { Ctx } from '../graph/ctx';
import { sequentialForward } from '../layers/sequential';
import type { Weights } from '../train/config';
import { checkWeights } from '../train/weights';
import { foldForInference } from './fold';

export const ExportOptions = z.object({
  /** probs = softmax(logits / temperature); > 1 softens overconfident outputs (calibration). */
  temperature: z.number().positive().default(1),
  /** Stored in the model's metadata (e.g. the model version). */
  metadata: z.record(z.string(), z.string()).default({}),
});
export type ExportOptions = z.input<typeof ExportOptions>;

export interface ModelWeights {
  readonly arch: ArchConfig;
  readonly weights: Weights;
}

/**
 * The inference model: input `image` float32 [N, 1, 28, 28] (normalised with MNIST mean/std),
 * output `probs` float32 [N, 10] = softmax(logits / temperature). Batch-norm is folded into the
 * preceding convolutions and dropout is removed, so the graph is plain Conv/Gemm/MaxPool/Relu.
 */
export function exportOnnx(model: ModelWeights, options: ExportOptions = {}): Uint8Array {
  const opts = ExportOptions.parse(options);
  const net = buildNetwork(model.arch);
  checkWeights(net, model.weights);
  const folded = foldForInference(net.layers, model.weights);
  const g = new GraphBuilder('inkwell_digits');
  const ctx = new Ctx(g, 'float32', 'native');
  for (const [name, t] of Object.entries(folded.weights)) g.initializer(name, 'float32', t.shape, t.data);
  const image = g.input('image', 'float32', ['N', ...IMAGE_SHAPE]);
  const logits = sequentialForward(ctx, folded.layers, image, 'infer').y;
  const scaled = opts.temperature === 1 ? logits : ctx.op('Div', [logits, ctx.scalar(opts.temperature)]);
  g.output(g.node('Softmax', [scaled], { axis: 1 }, { outputs: ['probs'] }), 'float32', ['N', net.classes]);
  return g.toModel({
    docString: 'Inkwell handwritten-digit classifier',
    metadata: { ...opts.metadata, arch: JSON.stringify(model.arch), temperature: String(opts.temperature) },
  });
}
