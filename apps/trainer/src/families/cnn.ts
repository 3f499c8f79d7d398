import { defineFamily } from './family';
import { netTraining } from './net-training';

export const cnnFamily = defineFamily({
  name: 'cnn',
  description: 'LeNet-style CNN: per entry of `filters` a conv [+ batch-norm] + ReLU + 2x2 max-pool, then `dense` layers',
  toRecipe: (p, run) => ({
    family: 'cnn',
    name: run.name,
    seed: run.seed,
    data: run.data,
    epochs: run.epochs,
    arch: { kind: 'cnn', filters: p.filters, kernel: p.kernel_size, dense: p.dense, dropout: p.dropout, batchNorm: p.batch_norm },
    ...netTraining(p),
  }),
});
