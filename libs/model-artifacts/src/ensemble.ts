import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const Ratio = z.number().min(0).max(1);

/**
 * `models/ensemble.json`: which model folders form the default ensemble and how it combines them
 * (mean of the members' `probs`), with its accuracy and calibration on the MNIST test digits as
 * measured from the members' ONNX files.
 */
export const EnsembleManifest = z.object({
  schema_version: z.literal(1),
  ensemble_id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,127}$/),
  combine: z.literal('mean_probs'),
  members: z.array(z.string()).min(1),
  preprocess_hash: z.string().min(8),
  created_at: z.iso.datetime({ offset: true }),
  val_acc: Ratio,
  test_acc: Ratio,
  test_ece: Ratio,
  test_log_loss: z.number().nonnegative(),
  /** The same numbers for each member alone, for comparison. */
  member_test_acc: z.record(z.string(), Ratio),
});
export type EnsembleManifest = z.infer<typeof EnsembleManifest>;

export const ENSEMBLE_FILE = 'ensemble.json';

export function writeEnsemble(root: string, e: EnsembleManifest): string {
  const path = join(root, ENSEMBLE_FILE);
  writeFileSync(path, `${JSON.stringify(EnsembleManifest.parse(e), null, 2)}\n`);
  return path;
}

export function readEnsemble(root: string): EnsembleManifest | null {
  const path = join(root, ENSEMBLE_FILE);
  if (!existsSync(path)) return null;
  return EnsembleManifest.parse(JSON.parse(readFileSync(path, 'utf8')));
}
