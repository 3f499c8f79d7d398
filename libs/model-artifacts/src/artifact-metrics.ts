import { MetricsReport } from '@inkwell/ml-eval';
import { z } from 'zod';

const Ratio = z.number().min(0).max(1);

/**
 * `metrics.json`: @inkwell/ml-eval's report on the data source's TEST split (MNIST: its 10,000 test digits), computed from the exported
 * ONNX file (temperature applied), so anything that reads a MetricsReport reads this file; plus
 * the validation numbers and what temperature scaling changed.
 */
export const ArtifactMetrics = MetricsReport.extend({
  model_id: z.string(),
  validation: z.object({ count: z.number().int().positive(), accuracy: Ratio, log_loss: z.number().nonnegative(), ece: Ratio }),
  calibration: z.object({
    temperature: z.number().positive(),
    /** Fitted on the validation split: its NLL at T = 1 and at the fitted T. */
    validation_nll_before: z.number().nonnegative(),
    validation_nll_after: z.number().nonnegative(),
    test_ece_before: Ratio,
    test_ece_after: Ratio,
  }),
  timings: z.object({ train_seconds: z.number().nonnegative(), evaluate_seconds: z.number().nonnegative() }),
});
export type ArtifactMetrics = z.infer<typeof ArtifactMetrics>;
