/**
 * Health checks while inference is saturated with large photos: the issue asks that inference never
 * block its event loop long enough to stall them (the gateway's readiness check gives up after
 * READY_CHECK_TIMEOUT_MS, 1.5 s). Drives `/v1/read` through the gateway with ~500 KB phone-photo PNGs
 * and, meanwhile, polls inference's /healthz and /readyz and the gateway's /readyz every 100 ms.
 *
 *   nice -n 10 npx tsx bench/health/main.ts [--connections 64] [--duration 8] [--preprocess-concurrency N]
 */
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { z } from 'zod';
import { makePhotoFixtures } from '@inkwell/imaging';
import { multipartBody } from '../predict/fixtures';
import { load } from '../predict/load';
import { startStack } from '../predict/stack';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '64' },
    duration: { type: 'string', default: '8' },
    'preprocess-concurrency': { type: 'string' },
  },
});

/** A grainy page grown until its PNG is ~500 KB: the most main-thread work per request a guest can send. */
async function bigPhoto(): Promise<Buffer> {
  const [page] = await makePhotoFixtures({ count: 1, seed: 42, kinds: ['large_canvas_jpeg'] });
  if (!page) throw new Error('no fixture');
  let png = Buffer.alloc(0);
  for (let side = 512; side <= 1024; side += 64) {
    png = await sharp(page.bytes).rotate().resize({ width: side, height: side, fit: 'inside' }).png({ compressionLevel: 1 }).toBuffer();
    if (png.length >= 500 * 1024) break;
  }
  return png;
}

const percentile = (xs: readonly number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

const email = 'bench@inkwell.local';
const password = 'bench-password-0123456789';
const concurrency = values['preprocess-concurrency'];
const stack = await startStack({ LOG_LEVEL: 'warn', RATE_LIMIT_USER: '100000000', ADMIN_EMAIL: email, ADMIN_PASSWORD: password, ...(concurrency ? { INFERENCE_PREPROCESS_CONCURRENCY: concurrency } : {}) });
try {
  const login = await fetch(`${stack.gatewayUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const token = z.object({ access_token: z.string() }).parse(await login.json()).access_token;
  const bytes = await bigPhoto();
  const { body, contentType } = multipartBody({ name: 'photo', bytes, contentType: 'image/png', label: 0 });
  const probes = { 'inference /healthz': `${stack.inferenceUrl}/healthz`, 'inference /readyz': `${stack.inferenceUrl}/readyz`, 'gateway /readyz': `${stack.gatewayUrl}/readyz` };
  const times = new Map<string, number[]>(Object.keys(probes).map((k) => [k, []]));
  const failures = new Map<string, number>(Object.keys(probes).map((k) => [k, 0]));
  let running = true;
  const poll = async (name: string, url: string): Promise<void> => {
    while (running) {
      const t0 = performance.now();
      // Any answer counts: the bench starts no trainer, report or audit, so the gateway's readiness is 503.
      const ok = await fetch(url, { signal: AbortSignal.timeout(5000) }).then((r) => r.text().then(() => true), () => false);
      times.get(name)?.push(performance.now() - t0);
      if (!ok) failures.set(name, (failures.get(name) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const pollers = Object.entries(probes).map(([name, url]) => poll(name, url));
  const r = await load({ url: `${stack.gatewayUrl}/v1/read`, method: 'POST', body, headers: { 'content-type': contentType, authorization: `Bearer ${token}` }, connections: Number(values.connections), duration: Number(values.duration), timeout: 30 });
  running = false;
  await Promise.all(pollers);
  console.log(`${Math.round(bytes.length / 1024)} KB PNG, ${values.connections} connections, ${values.duration} s, INFERENCE_PREPROCESS_CONCURRENCY=${concurrency ?? 'default'}`);
  console.log(`reads: ${r.requests.average.toFixed(1)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
  console.log('probe                 n    p50 ms  p90 ms  p99 ms  max ms  no answer in 5 s');
  for (const [name, xs] of times) {
    const cells = [50, 90, 99].map((p) => percentile(xs, p).toFixed(0).padStart(6)).join('  ');
    console.log(`${name.padEnd(20)} ${String(xs.length).padStart(3)}   ${cells}  ${Math.max(...xs).toFixed(0).padStart(6)}  ${String(failures.get(name)).padStart(6)}`);
  }
} finally {
  await stack.stop();
}
