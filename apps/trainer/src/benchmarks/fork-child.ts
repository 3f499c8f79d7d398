/**
 * The child process of one benchmark fork: it builds one engine's sessions, measures each cell of
 * the request it is sent, posts every measurement back and exits. Run by measure-in-fork.ts.
 */
import { buildEngine, type EngineRunner } from './engine-sessions';
import { isForkRequest, type ForkMessage, type ForkRequest } from './fork-protocol';
import { measureCell } from './measure-cell';

const post = (m: ForkMessage): Promise<void> =>
  new Promise((resolve, reject) => {
    if (!process.send) reject(new Error('fork-child.ts must run as a child process with an IPC channel'));
    else process.send(m, undefined, undefined, (err) => (err ? reject(err) : resolve()));
  });

async function measure(req: ForkRequest): Promise<void> {
  let runner: EngineRunner | undefined;
  try {
    runner = await buildEngine(req.spec, req.variant);
    for (const [index, cell] of req.cells.entries()) {
      await post({ kind: 'cell', index, measurement: await measureCell(runner, cell.inputs, cell.batch, req.plan) });
    }
    await post({ kind: 'done' });
  } catch (e) {
    await post({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
  } finally {
    await runner?.release();
    leave();
  }
}

/** The trainer is gone (killed, out of memory): stop at once rather than measure on beside its successor. */
const parentGone = (): never => process.exit(1);
process.once('disconnect', parentGone);

/** Ends the child's side of the channel: Node then exits, with nothing left to run. */
function leave(): void {
  process.off('disconnect', parentGone);
  process.disconnect();
}

process.once('message', (req: unknown) => {
  if (isForkRequest(req)) void measure(req);
  else void post({ kind: 'error', message: 'the fork child was sent something other than a fork request' }).finally(leave);
});
