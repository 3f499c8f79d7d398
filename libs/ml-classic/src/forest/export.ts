import { GraphBuilder, attr } from '@inkwell/onnx';
import { ExportOptions, featuresFromImage, probsOutput } from '../common/onnx-io';
import type { ForestModel } from './forest';

/**
 * The forest as ONNX: image -> pixel bytes as floats -> ai.onnx.ml TreeEnsembleClassifier ->
 * probs. Each leaf contributes its class frequencies divided by the tree count, and the
 * classifier sums them (its default aggregate), which is the forest's mean vote.
 */
export function exportForestOnnx(model: ForestModel, optionsInput: Partial<ExportOptions> = {}): Uint8Array {
  const options = ExportOptions.parse(optionsInput);
  const K = model.numClasses;
  const g = new GraphBuilder('inkwell_random_forest');
  const features = featuresFromImage(g, options, 'byte');
  const treeIds: number[] = [], nodeIds: number[] = [], featureIds: number[] = [], values: number[] = [];
  const modes: string[] = [], trueIds: number[] = [], falseIds: number[] = [];
  const cTree: number[] = [], cNode: number[] = [], cClass: number[] = [], cWeight: number[] = [];
  const w = 1 / model.trees.length;
  model.trees.forEach((tree, t) => {
    for (let n = 0; n < tree.feature.length; n++) {
      const f = tree.feature[n] as number;
      treeIds.push(t);
      nodeIds.push(n);
      const leaf = f < 0;
      featureIds.push(leaf ? 0 : f);
      values.push(leaf ? 0 : (tree.threshold[n] as number));
      modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      trueIds.push(leaf ? 0 : (tree.left[n] as number));
      falseIds.push(leaf ? 0 : (tree.right[n] as number));
      if (!leaf) continue;
      for (let k = 0; k < K; k++) {
        const v = tree.value[n * K + k] as number;
        if (v === 0) continue;
        cTree.push(t);
        cNode.push(n);
        cClass.push(k);
        cWeight.push(v * w);
      }
    }
  });
  const [, scores] = g.nodeN(
    'TreeEnsembleClassifier',
    [features],
    2,
    {
      classlabels_int64s: attr.ints(Array.from({ length: K }, (_, k) => k)),
      nodes_treeids: attr.ints(treeIds),
      nodes_nodeids: attr.ints(nodeIds),
      nodes_featureids: attr.ints(featureIds),
      nodes_values: attr.floats(values),
      nodes_modes: attr.strings(modes),
      nodes_truenodeids: attr.ints(trueIds),
      nodes_falsenodeids: attr.ints(falseIds),
      class_treeids: attr.ints(cTree),
      class_nodeids: attr.ints(cNode),
      class_ids: attr.ints(cClass),
      class_weights: attr.floats(cWeight),
      post_transform: 'NONE',
    },
    { domain: 'ai.onnx.ml', outputs: ['forest_label', 'forest_scores'] },
  );
  if (scores === undefined) throw new Error('TreeEnsembleClassifier produced no scores output');
  probsOutput(g, scores, K, options.temperature);
  return g.toModel({ opsets: { '': 17, 'ai.onnx.ml': 3 }, producerName: 'inkwell-ml-classic' });
}
