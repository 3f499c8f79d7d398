/**
 * Batch OCR end to end, through the gateway (issue 24, done-when 6):
 *   nice -n 10 npx tsx bench/batch/main.ts [--images 50000] [--runs 2] [--env KEY=VALUE,...]
 * Makes (once, then reuses) a ZIP of small digit JPEGs drawn from the MNIST test set, 28 to 64
 * pixels a side, some in folders; starts auth, inference (the default ensemble, models/) and the
 * gateway as processes; then `--runs` times: POSTs the ZIP with an API key, follows the job's SSE
 * stream to the end, downloads results.zip and checks its CSV (one row per image, answers against
 * the labels in the names). Prints, per run, seconds from upload to results ready (goal: under 60 s
 * for 50,000), images/s, and where the time went: intake (upload to disk, ZIP extraction, rows),
 * the worker's phases from its log line, the models' share from inference's metrics, and CPU by
 * process and thread; then decode and preprocess cost per image measured apart.
 * `--env` passes settings to the services (e.g. INFERENCE_BATCH_CONCURRENCY=64) to compare tunings;
 * `--profile DIR` writes the services' V8 CPU profiles there (inference's main thread: open in Chrome).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createBenchApiKey } from '../predict/auth-modes';
import { startStack } from '../predict/stack';
import { decodeCost } from './decode-cost';
import { digitZip } from './digit-zip';
import { checkResults, followJob, uploadZip } from './job-client';
import { cpuDelta, databaseOf, postgresCpu, threadCpu } from './process-cpu';
import { jobLog, metric } from './service-log';

const GOAL_S = 60;

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '2' },
    seed: { type: 'string', default: '24' },
    zip: { type: 'string' },
    env: { type: 'string', default: '' },
    'log-level': { type: 'string', default: 'info' },
    sample: { type: 'string', default: '1000' },
    profile: { type: 'string' },
  },
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

const images = Number(values.images);
const seed = Number(values.seed);
const extraEnv = Object.fromEntries(
  (values.env ?? '')
    .split(',')
    .filter((kv) => kv.includes('='))
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const zip = await digitZip(values.zip ?? join(tmpdir(), 'inkwell-bench-batch', `digits-${images}-seed${seed}.zip`), images, seed);
console.log(`zip: ${zip.path}, ${images} JPEGs, ${(zip.bytes / 1e6).toFixed(1)} MB${zip.generatedS > 0 ? ` (made in ${zip.generatedS.toFixed(0)} s)` : ' (reused)'}`);

const email = 'bench@inkwell.local';
const password = 'bench-password-0123456789';
const logDir = mkdtempSync(join(tmpdir(), 'inkwell-bench-batch-logs-'));
const dataDir = mkdtempSync(join(tmpdir(), 'inkwell-bench-batch-data-'));
const stack = await startStack(
  { LOG_LEVEL: values['log-level'] ?? 'info', RATE_LIMIT_USER: '100000000', ADMIN_EMAIL: email, ADMIN_PASSWORD: password, DATA_DIR: dataDir, ...extraEnv },
  values.profile,
  { logDir },
);
try {
  const login = await fetch(`${stack.gatewayUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const token = z.object({ access_token: z.string() }).parse(await login.json()).access_token;
  const headers = { 'x-api-key': await createBenchApiKey(stack.gatewayUrl, token) };
  const inferencePid = stack.pidOf('inference') ?? 0;
  const database = databaseOf(inferencePid) ?? '?';
  console.log(`machine: ${cpus().length} cores; models: ${stack.models}`);
  if (Object.keys(extraEnv).length > 0) console.log(`settings: ${JSON.stringify(extraEnv)}`);

  for (let run = 1; run <= Number(values.runs); run++) {
    console.log(`\nrun ${run}: load average before ${load()}`);
    const metricsBefore = await (await fetch(`${stack.inferenceUrl}/metrics`)).text();
    const cpuBefore = stack.cpuSeconds();
    const threadsBefore = threadCpu(inferencePid);
    const pgBefore = postgresCpu(database);
    const t0 = performance.now();
    const created = await uploadZip(stack.gatewayUrl, headers, zip.path);
    const tPosted = performance.now();
    let lastPrint = 0;
    const job = await followJob(stack.gatewayUrl, headers, created.job_id, (j) => {
      if (performance.now() - lastPrint < 5000) return;
      lastPrint = performance.now();
      console.log(`  ${s(performance.now() - t0).padStart(7)}  ${j.status} ${j.processed}/${j.total_images} (${j.images_per_s ?? '-'} images/s, ETA ${j.eta_s ?? '-'} s)`);
    });
    const tDone = performance.now();
    const cpuAfter = stack.cpuSeconds();
    const threads = cpuDelta(threadsBefore, threadCpu(inferencePid));
    const pg = postgresCpu(database) - pgBefore;
    const metricsAfter = await (await fetch(`${stack.inferenceUrl}/metrics`)).text();
    if (job.status !== 'completed') throw new Error(`the job ended ${job.status}: ${job.error ?? ''}`);
    const check = await checkResults(stack.gatewayUrl, headers, created.job_id);
    const tChecked = performance.now();

    const total = tDone - t0;
    console.log(`  upload to results ready: ${s(total)}, ${Math.round(images / (total / 1000))} images/s (goal < ${GOAL_S} s: ${total / 1000 < GOAL_S ? 'met' : 'NOT met'}); load average after ${load()}`);
    console.log(`  results: ${check.rows} rows (${check.rows === images ? 'all' : `EXPECTED ${images}`}), ${check.done} read, errors ${JSON.stringify(check.errors)}, ${((100 * check.correct) / Math.max(1, check.labelled)).toFixed(2)} % match the labels; results.zip ${(check.zipBytes / 1e6).toFixed(1)} MB, downloaded and checked in ${s(tChecked - tDone)}`);

    const log = await jobLog(join(logDir, 'inference.log'), created.job_id);
    const started = job.started_at ? Date.parse(job.started_at) : NaN;
    const finished = job.finished_at ? Date.parse(job.finished_at) : NaN;
    console.log('  where the time went (wall):');
    console.log(`    POST answered (upload + extract + rows)   ${s(tPosted - t0)}${log.intake ? `   [inference: receive ${s(log.intake.receive ?? NaN)}, extract ${s(log.intake.extract ?? NaN)}, insert rows ${s(log.intake.insert ?? NaN)}]` : ''}`);
    console.log(`    queued -> worker started                  ${s(started - Date.parse(job.created_at))}`);
    console.log(`    worker started -> completed               ${s(finished - started)}`);
    console.log(`    POST answered -> completed seen (SSE)     ${s(tDone - tPosted)}`);
    for (const ms of log.runs) {
      const phases = Object.entries(ms).filter(([k]) => !k.startsWith('item_') && k !== 'total');
      console.log(`    worker phases: ${phases.map(([k, v]) => `${k} ${s(v)}`).join(', ')} (of ${s(ms.total ?? NaN)})`);
      console.log(`    inside "read", summed over items in flight: file reads ${s(ms.item_file ?? NaN)}, reader.read ${s(ms.item_read ?? NaN)} (decode, preprocess, queue, models)`);
    }
    const runS = metric(metricsAfter, 'inference_run_seconds_sum') - metric(metricsBefore, 'inference_run_seconds_sum');
    const runs = metric(metricsAfter, 'inference_run_seconds_count') - metric(metricsBefore, 'inference_run_seconds_count');
    const rows = metric(metricsAfter, 'inference_batch_rows_sum') - metric(metricsBefore, 'inference_batch_rows_sum');
    console.log(`    models (ONNX Runtime, 5-model ensemble): ${runS.toFixed(1)} s of worker-thread time in ${runs} runs, ${(rows / Math.max(1, runs)).toFixed(1)} rows per run, ${((runS * 1000) / Math.max(1, rows)).toFixed(3)} ms per image`);
    const cpu = Object.entries(cpuAfter).map(([k, v]) => `${k} ${(v - (cpuBefore[k] ?? 0)).toFixed(1)}`);
    console.log(`  CPU seconds: ${cpu.join(', ')}, postgres ${pg.toFixed(1)}; inference by thread: main (JS: pixel stages, zip, SQL, CSV) ${threads.main.toFixed(1)}, libvips decode ${threads.libvips.toFixed(1)}, other (ONNX Runtime workers, libuv pool, GC) ${threads.other.toFixed(1)}`);
  }
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(logDir, { recursive: true, force: true });
}

const cost = await decodeCost(zip.path, Number(values.sample));
console.log(
  `\nper image, one at a time in the bench process (${cost.images} of the ZIP's images), CPU: preprocess ${cost.preprocessMs.toFixed(3)} ms = decode ${cost.decodeMs.toFixed(3)} ms (JS decoder took ${cost.jsDecoded}; sharp alone ${cost.sharpDecodeMs.toFixed(3)} ms) + pixel stages ${cost.pixelMs.toFixed(3)} ms`,
);
