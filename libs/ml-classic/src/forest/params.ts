import { z } from 'zod';

/** Random-forest hyperparameters (the PRD's set plus the usual forest knobs). */
export const ForestParams = z.object({
  nEstimators: z.number().int().min(1).max(2000).default(100),
  /** null = grow until leaves are pure or too small to split. */
  maxDepth: z.number().int().min(1).max(100).nullable().default(null),
  minSamplesSplit: z.number().int().min(2).default(2),
  /** Features tried per split: 'sqrt' (28 of 784 pixels), 'log2', or a count. */
  maxFeatures: z.union([z.enum(['sqrt', 'log2']), z.number().int().min(1).max(784)]).default('sqrt'),
  bootstrap: z.boolean().default(true),
  seed: z.number().int().default(0),
});
export type ForestParams = z.infer<typeof ForestParams>;
export type ForestParamsInput = z.input<typeof ForestParams>;
