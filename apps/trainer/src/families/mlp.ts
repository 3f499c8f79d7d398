import { defineFamily } from './family';
import { netTraining } from './net-training';

/** Without `layers`, a list of `neurons` sets the depth; a single width repeats over 2 layers. */
const DEFAULT_LAYERS = 2;

/** One width per hidden layer. */
function hiddenLayers(layers: number | undefined, neurons: number | readonly number[]): number[] {
  if (typeof neurons !== 'number') return [...neurons];
  return Array.from({ length: layers ?? DEFAULT_LAYERS }, () => neurons);
}

export const mlpFamily = defineFamily({
  name: 'mlp',
  description: 'Multi-layer perceptron on the flattened 28x28 image: `layers` hidden layers of `neurons` each',
  toRecipe: (p, run) => ({
    family: 'mlp',
    name: run.name,
    seed: run.seed,
    data: run.data,
    epochs: run.epochs,
    arch: {
      kind: 'mlp',
      hidden: hiddenLayers(p.layers, p.neurons),
      activation: p.activation,
      dropout: p.dropout,
    },
    ...netTraining(p),
  }),
});
