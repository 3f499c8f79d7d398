/**
 * A 2 GB dataset upload streams to storage (issue 20, done-when 2): starts auth, inference, the
 * trainer and the gateway as processes (bench/predict's stack), streams a CSV generated on the fly
 * (MNIST test digits as `label,p0..p783` lines, repeated; never written to disk first) to
 * POST /api/datasets through the gateway, and samples the trainer's RSS from /proc every 100 ms.
 * Prints the peak RSS growth over the idle trainer during the upload (goal: under 100 MB), then,
 * with --validate, also while the `validate-dataset` job reads the stored file.
 *
 *   nice -n 10 npx tsx bench/dataset-upload/main.ts [--gb 2] [--validate]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { csvLines, mnistSample } from '@inkwell/datasets/testing';
import { startStack } from '../predict/stack';

const { values } = parseArgs({ options: { gb: { type: 'string', default: '2' }, validate: { type: 'boolean', default: false } } });
const TOTAL = Math.round(Number(values.gb) * 1024 ** 3);
const GOAL_MB = 100;

/** Resident set size of a process, from /proc (Linux), in bytes. */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

const adminEmail = 'upload-admin@inkwell.local';
const adminPassword = 'upload-admin-password-0123';
const dataDir = mkdtempSync(join(tmpdir(), 'inkwell-upload-bench-'));
const stack = await startStack({ LOG_LEVEL: 'warn', RATE_LIMIT_USER: '100000000', ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword, DATA_DIR: dataDir }, undefined, { trainer: true });
try {
  const trainerPid = stack.pidOf('trainer');
  if (trainerPid === undefined) throw new Error('the trainer did not start');
  const login = await fetch(`${stack.gatewayUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: adminEmail, password: adminPassword }) });
  const token = z.object({ access_token: z.string() }).parse(await login.json()).access_token;

  // The built-in mnist registration runs once at start; let it finish so it is not counted.
  for (let seen = false; !seen; await new Promise((r) => setTimeout(r, 500))) {
    const res = await fetch(`${stack.gatewayUrl}/api/datasets`, { headers: { authorization: `Bearer ${token}` } });
    seen = z.object({ items: z.array(z.object({ built_in: z.boolean() })) }).parse(await res.json()).items.some((d) => d.built_in);
  }
  global.gc?.();
  const idle = rssOf(trainerPid);

  const block = Buffer.from(`${csvLines(mnistSample(1000)).join('\n')}\n`);
  const boundary = `----inkwell${Date.now()}`;
  const head = Buffer.from(
    [`--${boundary}`, 'Content-Disposition: form-data; name="name"', '', 'two gigabytes of digits', `--${boundary}`, 'Content-Disposition: form-data; name="files"; filename="big.csv"', 'Content-Type: text/csv', '', ''].join('\r\n'),
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const blocks = Math.ceil(TOTAL / block.length);
  const fileBytes = blocks * block.length;

  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(trainerPid))), 100);
  const t0 = performance.now();
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${stack.gatewayUrl}/api/datasets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + fileBytes + tail.length) },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    // Writes block after block, waiting for 'drain': the body exists only one block at a time.
    let sent = 0;
    const pump = () => {
      if (sent === 0) req.write(head);
      while (sent < blocks) {
        sent++;
        if (!req.write(block)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
  const seconds = (performance.now() - t0) / 1000;
  const uploadPeak = peak;
  console.log(`upload: ${answer.status} in ${seconds.toFixed(1)} s (${(fileBytes / 1024 ** 2 / seconds).toFixed(0)} MB/s), file ${(fileBytes / 1024 ** 3).toFixed(2)} GB`);
  console.log(`trainer RSS: idle ${(idle / 1024 ** 2).toFixed(0)} MB, peak during upload ${(uploadPeak / 1024 ** 2).toFixed(0)} MB: growth ${((uploadPeak - idle) / 1024 ** 2).toFixed(1)} MB (goal < ${GOAL_MB} MB): ${uploadPeak - idle < GOAL_MB * 1024 ** 2 ? 'met' : 'NOT met'}`);
  if (answer.status !== 202) throw new Error(`upload answered ${answer.status}: ${answer.body}`);

  if (values.validate) {
    const id = z.object({ id: z.string() }).parse(JSON.parse(answer.body)).id;
    peak = rssOf(trainerPid);
    const v0 = performance.now();
    for (let status = 'validating'; status === 'validating'; await new Promise((r) => setTimeout(r, 1000))) {
      const res = await fetch(`${stack.gatewayUrl}/api/datasets/${id}`, { headers: { authorization: `Bearer ${token}` } });
      status = z.object({ status: z.string() }).parse(await res.json()).status;
    }
    console.log(`validation: ${((performance.now() - v0) / 1000).toFixed(0)} s, trainer RSS peak ${(peak / 1024 ** 2).toFixed(0)} MB (growth over idle ${((peak - idle) / 1024 ** 2).toFixed(1)} MB)`);
  }
  clearInterval(sampler);
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
