import type { ChildProcess } from 'node:child_process';
import { startServiceProcess } from '@inkwell/testing';

/** A trainer as its own OS process, ready once it answers /readyz. */
export async function startTrainerProcess(env: Readonly<Record<string, string | undefined>>): Promise<ChildProcess> {
  return (await startServiceProcess({ entry: 'apps/trainer/src/main.ts', portVar: 'TRAINER_PORT', env })).child;
}

/** SIGKILLs every child still running (test teardown). */
export function killAll(children: readonly ChildProcess[]): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
