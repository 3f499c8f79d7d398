import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { preprocess } from '@inkwell/imaging';

export type Preprocess = typeof preprocess;

/**
 * `preprocess` as it was at a git ref: the ref's libs/imaging/src is extracted once under
 * artifacts/tmp/imaging-diff/<commit>/ and imported from there, so both pipelines run in one
 * process on the same bytes. Its imports of other libs resolve to the working tree's.
 */
export async function basePipeline(ref: string): Promise<{ commit: string; preprocess: Preprocess }> {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const dir = resolve('artifacts', 'tmp', 'imaging-diff', commit);
  if (!existsSync(join(dir, 'libs', 'imaging', 'src', 'preprocess.ts'))) {
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['archive', commit, 'libs/imaging/src']);
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
  }
  const mod: unknown = await import(join(dir, 'libs', 'imaging', 'src', 'preprocess.ts'));
  if (typeof mod !== 'object' || mod === null || !('preprocess' in mod) || typeof mod.preprocess !== 'function') {
    throw new Error(`${ref}: libs/imaging/src/preprocess.ts exports no preprocess()`);
  }
  return { commit, preprocess: mod.preprocess as Preprocess };
}
