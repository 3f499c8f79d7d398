import { spawn, spawnSync } from 'node:child_process';
import { until } from './stack';

export interface ReferenceOptions {
  readonly ensemble: number;
  readonly arch: 'cnn' | 'resnet18';
  /** Run the models through oneDNN (Debian's torch otherwise uses reference BLAS for small convs). */
  readonly mkldnn: boolean;
}

export interface ReferenceServer {
  readonly url: string;
  readonly pid: number;
  /** e.g. "seed 004 design, /usr/bin/python3 (torch 1.13, fastapi 0.92), uvicorn 1 worker, cnn x1, oneDNN" */
  readonly label: string;
  stop(): void;
}

export const REFERENCE_PACKAGES = 'apt-get install python3-torch python3-fastapi python3-uvicorn python3-multipart python3-pil python3-numpy';

// PATH's python3 first, then the system one, where Debian's packages install when PATH points at
// pyenv or a venv (as bench/train-speed does). Prints the real executable so the child's pid is the
// server itself, not a shim that execs it.
const PROBE = 'import sys, torch, fastapi, uvicorn, PIL, numpy, multipart; print(sys.executable, torch.__version__, fastapi.__version__)';

/** The Python that has seed 004's packages, or null. */
function findPython(): { python: string; torch: string; fastapi: string } | null {
  const probe = ['python3', '/usr/bin/python3'].map((exe) => spawnSync(exe, ['-c', PROBE], { encoding: 'utf8' })).find((r) => r.status === 0);
  const [python, torch, fastapi] = probe?.stdout.trim().split(' ') ?? [];
  return python && torch && fastapi ? { python, torch, fastapi } : null;
}

/**
 * Starts seed 004's FastAPI + PyTorch design (`reference/seed004_server.py`: one uvicorn worker,
 * log level warning) and waits until it answers; null when the Python packages are missing. The
 * server is killed however this process ends.
 */
export async function startReference(opts: ReferenceOptions): Promise<ReferenceServer | null> {
  const found = findPython();
  if (!found) return null;
  const port = 19_000 + Math.floor(Math.random() * 500) * 2;
  const args = ['bench/predict/reference/seed004_server.py', '--port', String(port), '--ensemble', String(opts.ensemble), '--arch', opts.arch, ...(opts.mkldnn ? ['--mkldnn'] : []), '--log-level', 'warning'];
  const server = spawn(found.python, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
  };
  process.on('exit', stop);
  const pid = server.pid;
  if (pid === undefined) throw new Error(`could not start ${found.python}`);
  const url = `http://127.0.0.1:${port}`;
  await until(`${url}/healthz`, 60_000, server);
  const label = `seed 004 design, ${found.python} (torch ${found.torch}, fastapi ${found.fastapi}), uvicorn 1 worker, ${opts.arch} x${opts.ensemble}${opts.mkldnn ? ', oneDNN' : ''}`;
  return { url, pid, label, stop };
}
