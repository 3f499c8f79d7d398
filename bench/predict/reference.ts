/**
 * Seed 004's design (FastAPI + PyTorch, bench/predict/reference/seed004_server.py) under the same
 * load as bench/predict/main.ts, on this machine, so the comparison is not a number from elsewhere:
 *   nice -n 5 npx tsx bench/predict/reference.ts [--duration 10] [--repeat 3] [--ensemble 1]
 *     [--arch cnn|resnet18] [--mkldnn] [--connections 1,16] [--only JPEG]
 * Starts the server (one uvicorn worker, log level warning), then drives POST /v1/read with
 * autocannon at each connection count for each bench image (2 s warm-up, then the measured runs),
 * printing req/s, p50/p90/p99 and CPU ms per request of the server and of autocannon (which runs
 * in this process, on the same 2 cores), and at 1 connection the percentiles timed to the
 * microsecond. Exits 2 when the Python packages are missing. `--mkldnn`
 * runs the models through oneDNN: Debian's torch does its small convs on reference BLAS, where the
 * PyPI wheel seed 004 would install has MKL (see seed004_server.py). `main.ts --reference` runs
 * this beside the stack and prints the ratios.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { benchImages } from './fixtures';
import { formatExact } from './latency';
import { formatRepeated } from './load';
import { measureReads } from './measure-reads';
import { REFERENCE_PACKAGES, startReference } from './reference-server';
import { cpuOf } from './stack';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    repeat: { type: 'string', default: '3' },
    ensemble: { type: 'string', default: '1' },
    arch: { type: 'string', default: 'cnn' },
    mkldnn: { type: 'boolean', default: false },
    connections: { type: 'string', default: '1,16' },
    only: { type: 'string' },
  },
});
const duration = Number(values.duration);
const repeats = Math.max(1, Number(values.repeat));
const ensemble = Number(values.ensemble);
const connections = (values.connections ?? '1,16').split(',').map(Number);
const arch = z.enum(['cnn', 'resnet18']).parse(values.arch);
if (!(duration > 0) || !Number.isInteger(ensemble) || ensemble < 1 || connections.some((c) => !Number.isInteger(c) || c < 1)) {
  console.error('usage: reference.ts [--duration S>0] [--repeat N] [--ensemble N>=1] [--arch cnn|resnet18] [--mkldnn] [--connections 1,16] [--only NAME]');
  process.exit(1);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

const server = await startReference({ ensemble, arch, mkldnn: values.mkldnn ?? false });
if (!server) {
  console.error(`seed 004 reference needs PyTorch and FastAPI: ${REFERENCE_PACKAGES}`);
  process.exit(2);
}
try {
  const images = (await benchImages()).filter((i) => !values.only || i.name.includes(values.only ?? ''));
  console.log(`reference: ${server.label}`);
  console.log(`images: ${images.map((i) => `${i.name} ${Math.round(i.bytes.length / 1024)} KB`).join(', ')}`);
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${repeats} runs of ${duration} s each; req/s and percentiles of the median run, its range in brackets`);
  console.log('image         conns   req/s (range)       p50 ms  p90 ms  p99 ms  non-2xx  errors   CPU ms/request: server, autocannon');
  await measureReads({ url: server.url, headers: {} }, images, {
    connections,
    duration,
    repeats,
    cpuSeconds: () => ({ server: cpuOf(server.pid) }),
    onRow: ({ image, connections: c, result: r, exact }) => {
      console.log(`${formatRepeated(image, c, r)}   ${(r.cpuMsPerRequest.server ?? NaN).toFixed(2)}, ${(r.cpuMsPerRequest.autocannon ?? NaN).toFixed(2)}`);
      if (exact) console.log(formatExact(exact));
    },
  });
} finally {
  server.stop();
}
