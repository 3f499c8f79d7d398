import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The newest `epoch-NNNN.ckpt` the training engine left in `dir`, if any: a killed run picks up there. */
export function latestCheckpoint(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir).filter((f) => /^epoch-\d+\.ckpt$/.test(f)).sort();
  const last = files[files.length - 1];
  return last === undefined ? undefined : join(dir, last);
}
