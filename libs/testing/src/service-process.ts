import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A service as its own OS process (`<entry>` under tsx, as `npm start` runs it), on a free port
 * set through `portVar`, resolved once it answers /readyz. Tests use real processes where the claim
 * is about processes: the `gpu` queue's two slots across trainers, a kill -9 mid-job, two
 * inference replicas swapping models under load.
 */
export async function startServiceProcess(options: { readonly entry: string; readonly portVar: string; readonly env: Readonly<Record<string, string | undefined>>; readonly readyWithinMs?: number }): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry], {
    env: { ...options.env, [options.portVar]: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const limit = options.readyWithinMs ?? 90_000;
  const ready = (async () => {
    for (const start = Date.now(); Date.now() - start < limit; await new Promise((r) => setTimeout(r, 200))) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${options.entry} exited with ${String(child.exitCode ?? child.signalCode)} before it was ready`);
      const res = await fetch(`${url}/readyz`).catch(() => null);
      if (res?.ok) return;
    }
    throw new Error(`${options.entry} not ready within ${limit} ms`);
  })();
  try {
    await ready;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return { child, url, stop };
}
