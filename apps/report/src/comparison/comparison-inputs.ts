import { z } from 'zod';
import { ModelComparisonView, ModelVersion } from '@inkwell/contracts';

/** What a comparison report is rendered from, as fetched from the trainer and stored with the report. */
export const ComparedVersion = ModelVersion.pick({ id: true, name: true, source: true, family: true, created_at: true, sha256: true, test_set: true, accuracy: true, active: true, metrics: true });
export type ComparedVersion = z.infer<typeof ComparedVersion>;

export const ComparisonInputs = z.object({
  kind: z.literal('comparison'),
  comparison: ModelComparisonView,
  a: ComparedVersion,
  b: ComparedVersion,
});
export type ComparisonInputs = z.infer<typeof ComparisonInputs>;

/** The subject's time: the later of the two versions' records (a comparison exists once both do). */
export const comparisonTime = (i: ComparisonInputs): string => (Date.parse(i.a.created_at) >= Date.parse(i.b.created_at) ? i.a.created_at : i.b.created_at);
