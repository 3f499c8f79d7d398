/**
 * Seed 004's design (FastAPI + PyTorch, bench/predict/reference/seed004_server.py) under the same
 * load as bench/predict/main.ts, on this machine, so the comparison is not a number from elsewhere:
 *   nice -n 5 npx tsx bench/predict/reference.ts [--duration 10] [--repeat 3] [--ensemble 1] [--arch cnn|resnet18]
 *     [--mkldnn] [--connections 1,16] [--only JPEG]
 * Starts the server (one uvicorn worker, log level warning), then drives POST /v1/read with
 * autocannon at each connection count for each bench image (2 s warm-up, then the measured run),
 * printing req/s, p50/p90/p99 and CPU ms per request of the server and of autocannon (which runs
 * in this process, on the same 2 cores). Exits 2 when the Python packages are missing. `--mkldnn`
 * runs the models through oneDNN: Debian's torch does its small convs on reference BLAS, where the
 * PyPI wheel seed 004 would install has MKL (see seed004_server.py).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ReadResponse } from '@inkwell/contracts';
import { benchImages, multipartBody } from './fixtures';
import { formatRepeated, load, loadRepeated } from './load';
import { cpuOf } from './stack';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    ensemble: { type: 'string', default: '1' },
    arch: { type: 'string', default: 'cnn' },
    mkldnn: { type: 'boolean', default: false },
    connections: { type: 'string', default: '1,16' },
    repeat: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
const duration = Number(values.duration);
const ensemble = Number(values.ensemble);
const connections = (values.connections ?? '1,16').split(',').map(Number);
const repeats = Math.max(1, Number(values.repeat));
const arch = z.enum(['cnn', 'resnet18']).parse(values.arch);
if (!(duration > 0) || !Number.isInteger(ensemble) || ensemble < 1 || connections.some((c) => !Number.isInteger(c) || c < 1)) {
  console.error('usage: reference.ts [--duration S>0] [--ensemble N>=1] [--arch cnn|resnet18] [--mkldnn] [--connections 1,16] [--only NAME]');
  process.exit(1);
}

// PATH's python3 first, then the system one, where Debian's packages install when PATH points at
// pyenv or a venv (as bench/train-speed does). Prints the real executable so the child's pid is the
// server itself, not a shim that execs it.
const PROBE = 'import sys, torch, fastapi, uvicorn, PIL, numpy, multipart; print(sys.executable, torch.__version__, fastapi.__version__)';
const probe = ['python3', '/usr/bin/python3']
  .map((exe) => spawnSync(exe, ['-c', PROBE], { encoding: 'utf8' }))
  .find((r) => r.status === 0);
const [python, torchVersion, fastapiVersion] = probe?.stdout.trim().split(' ') ?? [];
if (!python) {
  console.error('seed 004 reference needs PyTorch and FastAPI: apt-get install python3-torch python3-fastapi python3-uvicorn python3-multipart python3-pil python3-numpy');
  process.exit(2);
}

async function untilHealthy(url: string, child: ChildProcess, ms: number): Promise<void> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 200))) {
    if (child.exitCode !== null) throw new Error(`the reference server exited with ${child.exitCode} before answering`);
    const res = await fetch(url).catch(() => null);
    if (res?.ok) return;
  }
  throw new Error(`${url} did not answer 200 within ${ms} ms`);
}

const port = 19_000 + Math.floor(Math.random() * 500) * 2;
const server = spawn(python, ['bench/predict/reference/seed004_server.py', '--port', String(port), '--ensemble', String(ensemble), '--arch', arch, ...(values.mkldnn ? ['--mkldnn'] : []), '--log-level', 'warning'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stop = () => {
  if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
};
// Kill the server however this process ends: normal exit, an error, or Ctrl-C.
process.on('exit', stop);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

const pid = server.pid;
if (pid === undefined) throw new Error(`could not start ${python}`);
const url = `http://127.0.0.1:${port}`;
try {
  await untilHealthy(`${url}/healthz`, server, 60_000);
  const images = await benchImages();
  console.log(`reference: seed 004 design, ${python} (torch ${torchVersion}, fastapi ${fastapiVersion}), uvicorn 1 worker, arch ${arch}, ensemble ${ensemble}${values.mkldnn ? ', oneDNN' : ''}`);
  console.log(`images: ${images.map((i) => `${i.name} ${Math.round(i.bytes.length / 1024)} KB`).join(', ')}`);
  console.log(`duration ${duration} s per run, load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${repeats} runs of ${duration} s each; req/s and percentiles of the median run, its range in brackets`);
  console.log('image         conns   req/s (range)       p50 ms  p90 ms  p99 ms  non-2xx  errors   CPU ms/request: server, autocannon');
  for (const img of images.filter((i) => !values.only || i.name.includes(values.only ?? ''))) {
    const { body, contentType } = multipartBody(img);
    const check = await fetch(`${url}/v1/read`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const answer: unknown = await check.json();
    if (check.status !== 200) throw new Error(`${img.name}: ${check.status} ${JSON.stringify(answer)}`);
    ReadResponse.parse(answer); // the reference answers the same contract as apps/inference
    for (const c of connections) {
      const opts = { url: `${url}/v1/read`, method: 'POST', headers: { 'content-type': contentType }, body, connections: c, pipelining: 1 };
      await load({ ...opts, duration: 2 }); // warm-up
      const r = await loadRepeated(opts, duration, repeats, () => ({ server: cpuOf(pid) }));
      console.log(`${formatRepeated(img.name, c, r)}   ${(r.cpuMsPerRequest.server ?? NaN).toFixed(2)}, ${(r.cpuMsPerRequest.autocannon ?? NaN).toFixed(2)}`);
    }
  }
} finally {
  stop();
}
