import { z } from 'zod';

export const Schedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }),
  /** Multiply the rate by `gamma` every `everyEpochs` epochs. */
  z.object({ kind: z.literal('step'), everyEpochs: z.number().int().positive(), gamma: z.number().positive().max(1).default(0.1) }),
  /** Cosine from the base rate down to base * minFactor over the whole run. */
  z.object({ kind: z.literal('cosine'), minFactor: z.number().min(0).max(1).default(0) }),
  /** Smith's one-cycle: warm up from base/divFactor to base over pctStart of the run, then cosine down to base/(divFactor*finalDivFactor). */
  z.object({
    kind: z.literal('one-cycle'),
    pctStart: z.number().gt(0).lt(1).default(0.3),
    divFactor: z.number().positive().default(25),
    finalDivFactor: z.number().positive().default(1e4),
  }),
]);
export type Schedule = z.infer<typeof Schedule>;

function cosine(from: number, to: number, frac: number): number {
  return to + ((from - to) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, frac))))) / 2;
}

/** The learning rate for optimizer step `step` (0-based) of `totalSteps`, with `stepsPerEpoch` steps an epoch. */
export function learningRate(base: number, schedule: Schedule, step: number, totalSteps: number, stepsPerEpoch: number): number {
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'step':
      return base * schedule.gamma ** Math.floor(step / stepsPerEpoch / schedule.everyEpochs);
    case 'cosine':
      return cosine(base, base * schedule.minFactor, step / Math.max(1, totalSteps - 1));
    case 'one-cycle': {
      const initial = base / schedule.divFactor;
      const final = initial / schedule.finalDivFactor;
      const warm = Math.max(1, Math.floor(schedule.pctStart * totalSteps));
      if (step < warm) return cosine(initial, base, step / warm);
      return cosine(base, final, (step - warm) / Math.max(1, totalSteps - 1 - warm));
    }
  }
}
