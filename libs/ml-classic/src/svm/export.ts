import { GraphBuilder, attr } from '@inkwell/onnx';
import { ExportOptions, featuresFromImage, probsOutput } from '../common/onnx-io';
import type { SvmModel } from './model';

const KERNEL_NAMES = { rbf: 'RBF', linear: 'LINEAR', poly: 'POLY' } as const;

/**
 * The SVM as ONNX: image [N,1,28,28] -> features (pixel/255) -> ai.onnx.ml SVMClassifier with
 * prob_a/prob_b (onnxruntime then applies the same Platt + coupling as svmPredictProba) -> probs.
 * onnxruntime adds rho to the kernel sum, libsvm subtracts it, hence the sign flip.
 */
export function exportSvmOnnx(model: SvmModel, optionsInput: Partial<ExportOptions> = {}): Uint8Array {
  const options = ExportOptions.parse(optionsInput);
  const g = new GraphBuilder('inkwell_svm');
  const features = featuresFromImage(g, options, 'unit');
  const [, scores] = g.nodeN(
    'SVMClassifier',
    [features],
    2,
    {
      classlabels_ints: attr.ints(Array.from({ length: model.numClasses }, (_, k) => k)),
      kernel_type: KERNEL_NAMES[model.kernel.type],
      kernel_params: attr.floats([model.kernel.gamma, model.kernel.coef0, model.kernel.degree]),
      vectors_per_class: attr.ints(model.vectorsPerClass),
      support_vectors: attr.floats(model.supportVectors),
      coefficients: attr.floats(model.coefficients),
      rho: attr.floats(Array.from(model.rho, (r) => -r)),
      prob_a: attr.floats(model.sigmoids.map((s) => s.a)),
      prob_b: attr.floats(model.sigmoids.map((s) => s.b)),
      post_transform: 'NONE',
    },
    { domain: 'ai.onnx.ml', outputs: ['svm_label', 'svm_scores'] },
  );
  if (scores === undefined) throw new Error('SVMClassifier produced no scores output');
  probsOutput(g, scores, model.numClasses, options.temperature);
  return g.toModel({ opsets: { '': 17, 'ai.onnx.ml': 3 }, producerName: 'inkwell-ml-classic' });
}
