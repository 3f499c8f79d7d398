import { ModelManifest } from '@inkwell/contracts';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { evaluateClassifier } from '@inkwell/ml-eval';
import { GraphBuilder } from '@inkwell/onnx';
import type { ArtifactContent } from '../artifact-store';

/**
 * A real, tiny model graph in the served layout: `image` [N,1,28,28] -> `probs` [N,10], a linear
 * layer whose class k weighs pixel k, so the answer depends on the input and the graph is cheap.
 */
export function tinyDigitGraph(): Uint8Array {
  const g = new GraphBuilder('tiny-digits');
  const image = g.input('image', 'float32', ['N', 1, 28, 28]);
  const flat = g.node('Flatten', [image], { axis: 1 });
  const w = g.initializer('w', 'float32', [10, 784], Array.from({ length: 7840 }, (_, i) => (i % 785 === 0 ? 1 : 0)));
  const logits = g.node('Gemm', [flat, w], { transB: 1 });
  g.output(g.node('Softmax', [logits], { axis: 1 }, { outputs: ['probs'] }), 'float32', ['N', 10]);
  return g.toModel();
}

/** Valid content for `<root>/<modelId>/` (manifest v1.1 with this build's preprocessing, a metrics report). */
export function artifactContent(modelId: string): ArtifactContent {
  const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const probs = labels.flatMap((l) => Array.from({ length: 10 }, (_, k) => (k === l ? 0.91 : 0.01)));
  const report = evaluateClassifier(labels, probs, { split: 'test', temperature: 1.5 });
  return {
    onnx: tinyDigitGraph(),
    manifest: ModelManifest.parse({
      schema_version: '1.1', model_id: modelId, arch: 'cnn', n_classes: 10, version: '1.0.0', created_at: '2026-11-22T10:00:00.000Z',
      preprocess_hash: PREPROCESS_HASH, val_acc: 0.99, temperature: 1.5, training_recipe: modelId, training_seed: 1, training_epochs: 3,
      test_acc: report.accuracy, recipe_hash: 'f'.repeat(64), parent_model_id: null,
    }),
    metrics: {
      ...report,
      model_id: modelId,
      validation: { count: 10, accuracy: 1, log_loss: 0.1, ece: 0.09 },
      calibration: { temperature: 1.5, validation_nll_before: 0.2, validation_nll_after: 0.1, test_ece_before: 0.05, test_ece_after: 0.02 },
      timings: { train_seconds: 1, evaluate_seconds: 1 },
    },
  };
}
