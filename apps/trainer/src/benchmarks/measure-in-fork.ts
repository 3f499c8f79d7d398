import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isForkMessage, type ForkRequest } from './fork-protocol';
import type { CellMeasurement } from './measure-cell';

/**
 * How to start the child. A bundle (a `.mjs` build, infra/docker/bundle.mjs) ships it beside itself
 * as `benchmark-fork.mjs`. From the sources (tsx, tests) it is TypeScript: the child imports tsx's
 * loader first (a child process, unlike a worker thread, takes `--import`).
 */
function childEntry(): { file: string; execArgv: string[] } {
  const bundled = new URL('./benchmark-fork.mjs', import.meta.url);
  if (import.meta.url.endsWith('.mjs') && existsSync(fileURLToPath(bundled))) return { file: fileURLToPath(bundled), execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { file: fileURLToPath(new URL('./fork-child.ts', import.meta.url)), execArgv: ['--import', tsx] };
}

/**
 * One fork of one engine measured in a new process, JMH's forks: the engine's sessions, its
 * allocator and, for the WASM engine, its WebAssembly instance, memory and compiled code are the
 * fork's own. In the trainer's process the WASM engine once fell to half its speed at batch 8 and
 * 64 for every later fork and request (380 → 160 images/s) while the CPU engines measured between
 * its forks did not: a state of that process, which then decided both of two requests. A fork in a
 * process of its own cannot hand such a state on.
 * The cell's CPU % and peak RSS are then the child's: the engine's own, not the trainer's.
 * `onCell` gets each cell as it is measured, one call at a time and none once the promise has
 * settled; aborting kills the child.
 */
export async function measureInFork(req: ForkRequest, onCell: (index: number, m: CellMeasurement) => Promise<void>, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const { file, execArgv } = childEntry();
  const child = fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    let chain = Promise.resolve();
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (err) reject(err);
      else resolve();
    };
    function onAbort(): void {
      finish(signal?.reason instanceof Error ? signal.reason : new Error('benchmark fork aborted'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('message', (m: unknown) => {
      if (settled) return;
      if (!isForkMessage(m)) finish(new Error('benchmark fork sent an unknown message'));
      // Cells are handed on in order, each after the one before has been taken, and none after an
      // abort or an error: the job has then already counted the engine's cells as done.
      else if (m.kind === 'cell') chain = chain.then(() => (settled ? undefined : onCell(m.index, m.measurement))).catch((e: unknown) => finish(e instanceof Error ? e : new Error(String(e))));
      else if (m.kind === 'done') void chain.then(() => finish(null));
      else finish(new Error(m.message));
    });
    child.on('error', (e) => finish(e));
    child.on('close', (code, sig) => void chain.then(() => finish(new Error(`benchmark fork exited (${sig ?? `code ${String(code)}`}) before it finished`))));
    child.send(req, (err) => {
      if (err) finish(err);
    });
  });
}
