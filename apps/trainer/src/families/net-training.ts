import type { NetTrainingHyperparameters } from '@inkwell/contracts';
import type { NetRecipe } from '@inkwell/model-artifacts';
import type { z } from 'zod';

type NetInput = z.input<typeof NetRecipe>;

/** The engine fields for the knobs all three nets share (the public names are snake_case). */
export function netTraining(p: NetTrainingHyperparameters): Pick<NetInput, 'optimizer' | 'schedule' | 'batchSize' | 'labelSmoothing' | 'augment'> {
  const optimizer: NetInput['optimizer'] =
    p.optimizer === 'sgd'
      ? { kind: 'sgd', lr: p.learning_rate, momentum: p.momentum ?? 0.9, weightDecay: p.weight_decay }
      : { kind: p.optimizer, lr: p.learning_rate, weightDecay: p.weight_decay };
  const schedule: NetInput['schedule'] =
    p.schedule === 'step'
      ? { kind: 'step', everyEpochs: p.step_every_epochs ?? 1, gamma: p.step_gamma ?? 0.1 }
      : p.schedule === 'one_cycle'
        ? { kind: 'one-cycle' }
        : { kind: p.schedule };
  const a = p.augmentation;
  // `true` = the engine's defaults; elastic distortion at its default strength when asked for.
  const augment: NetInput['augment'] =
    a === false ? null : a === true ? {} : { maxShift: a.max_shift, maxRotationDeg: a.max_rotation_deg, scaleRange: a.scale_range, elastic: a.elastic ? {} : null };
  return { optimizer, schedule, batchSize: p.batch_size, labelSmoothing: p.label_smoothing, augment };
}
