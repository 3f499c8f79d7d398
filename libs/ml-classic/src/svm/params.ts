import { z } from 'zod';

/**
 * SVM hyperparameters (the PRD's set). Features are pixel / 255. gamma 'scale' = 1 / (784 * var(X)),
 * 'auto' = 1 / 784, as in scikit-learn.
 */
export const SvmParams = z.object({
  kernel: z.enum(['rbf', 'linear', 'poly']).default('rbf'),
  C: z.number().positive().default(10),
  // 0.025: best of {scale (~0.0134), 0.025, 0.04} on a 5,000-train / 3,000-validation split of the MNIST training digits.
  gamma: z.union([z.enum(['scale', 'auto']), z.number().positive()]).default(0.025),
  degree: z.number().int().min(1).max(10).default(3),
  coef0: z.number().default(0),
  /** SMO stopping tolerance on the KKT gap (libsvm's -e). */
  tol: z.number().positive().default(1e-3),
  /** Kernel-row cache budget in MiB, shared by all one-vs-one sub-problems. */
  cacheMb: z.number().int().positive().default(2048),
  seed: z.number().int().default(0),
});
export type SvmParams = z.infer<typeof SvmParams>;
export type SvmParamsInput = z.input<typeof SvmParams>;
