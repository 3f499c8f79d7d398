import { defineFamily } from './family';
import { netTraining } from './net-training';

export const resnetFamily = defineFamily({
  name: 'resnet',
  description: 'CIFAR-style ResNet (6n + 2 layers, three stages of basic blocks) for one-channel 28x28 input',
  toRecipe: (p, run) => ({
    family: 'resnet',
    name: run.name,
    seed: run.seed,
    data: run.data,
    epochs: run.epochs,
    arch: { kind: 'resnet', depth: p.depth, width: p.width },
    ...netTraining(p),
  }),
});
