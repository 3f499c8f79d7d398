/**
 * What training through the platform costs over calling the library (issue 20, done-when 8: under
 * 5 %). Starts auth, inference, the trainer and the gateway as processes (bench/predict's stack),
 * then, in alternating rounds (queue, direct, direct, queue, ...) so a drifting VM weighs on both:
 *   queue:  POST /api/models/train through the gateway, then its event stream (SSE, through the
 *           gateway) until the `completed` status event (the outbox, the gpu queue, the worker,
 *           progress events, the artifact and the model-version row all inside the measured time);
 *   direct: trainRecipe in this process with the same recipe (same family, epochs, seed, samples),
 *           writing its artifact to a temporary folder.
 * One warm-up job of each kind first (printed, not counted), then each round, the medians and
 * their ratio.
 *
 *   nice -n 10 npx tsx bench/train-queue/main.ts [--family cnn] [--samples 20000] [--rounds 4]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { TrainFamily, TrainJobEvent } from '@inkwell/contracts';
import { mnistSource, trainRecipe } from '@inkwell/model-artifacts';
import { recipeFor } from '../../apps/trainer/src/jobs/family-recipes';
import { startStack } from '../predict/stack';

const { values } = parseArgs({ options: { family: { type: 'string', default: 'cnn' }, samples: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '4' }, epochs: { type: 'string', default: '1' } } });
const family = TrainFamily.parse(values.family);
const samples = Number(values.samples);
const rounds = Math.max(1, Number(values.rounds));
const epochs = Number(values.epochs);
const GOAL = 0.05;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

const adminEmail = 'train-bench@inkwell.local';
const adminPassword = 'train-bench-password-0123';
const dataDir = mkdtempSync(join(tmpdir(), 'inkwell-train-bench-'));
const directDir = mkdtempSync(join(tmpdir(), 'inkwell-train-direct-'));
const stack = await startStack({ LOG_LEVEL: 'warn', RATE_LIMIT_USER: '100000000', ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword, DATA_DIR: dataDir }, undefined, { trainer: true });
const times = { queue: [] as number[], direct: [] as number[] };
try {
  const login = await fetch(`${stack.gatewayUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: adminEmail, password: adminPassword }) });
  const token = z.object({ access_token: z.string() }).parse(await login.json()).access_token;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  async function viaQueue(seed: number): Promise<number> {
    const t0 = performance.now();
    const res = await fetch(`${stack.gatewayUrl}/api/models/train`, { method: 'POST', headers, body: JSON.stringify({ dataset_id: 'mnist', family, epochs, seed, max_train_samples: samples }) });
    if (res.status !== 202) throw new Error(`train answered ${res.status}: ${await res.text()}`);
    const { id } = z.object({ id: z.string() }).parse(await res.json());
    // The job's event stream, not polling: 20 GETs a second through the gateway would take CPU
    // from the training they measure. The final `status` event is the moment it completed.
    const stream = await fetch(`${stack.gatewayUrl}/api/jobs/${id}/events`, { headers: { ...headers, accept: 'text/event-stream' } });
    if (!stream.ok || !stream.body) throw new Error(`events answered ${stream.status}`);
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of stream.body) {
      buffered += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const data = buffered.slice(0, end).split('\n').find((l) => l.startsWith('data:'));
        buffered = buffered.slice(end + 2);
        if (!data) continue;
        const event = TrainJobEvent.parse(JSON.parse(data.slice(5)));
        if (event.type !== 'status') continue;
        if (event.status === 'completed') {
          const ms = performance.now() - t0;
          await stream.body.cancel().catch(() => undefined);
          // Where the extra time goes: before the worker took the job, and the run itself.
          const job = z.object({ created_at: z.string(), started_at: z.string(), finished_at: z.string() }).parse(await (await fetch(`${stack.gatewayUrl}/api/jobs/${id}`, { headers })).json());
          const at = (s: string): number => new Date(s).getTime();
          console.log(`         queue job ${id.slice(0, 8)}: ${((at(job.started_at) - at(job.created_at)) / 1000).toFixed(2)} s until a worker took it, ${((at(job.finished_at) - at(job.started_at)) / 1000).toFixed(2)} s running`);
          return ms;
        }
        if (event.status === 'failed' || event.status === 'cancelled') throw new Error(`job ${id} ${event.status}: ${event.error ?? ''}`);
      }
    }
    throw new Error(`the event stream of job ${id} ended before it finished`);
  }

  async function direct(seed: number): Promise<number> {
    const t0 = performance.now();
    const recipe = recipeFor({ jobId: randomUUID(), family, hyperparameters: {}, epochs, seed, maxTrainSamples: samples });
    await trainRecipe(recipe, { source: mnistSource(recipe.data), outDir: directDir, modelId: randomUUID() });
    return performance.now() - t0;
  }

  console.log(`${family}, ${epochs} epoch(s) on ${samples} MNIST digits; ${rounds} rounds, alternating`);
  // The first job of each process pays its one-off start: module loading, reading MNIST, ORT's
  // first session. That is start-up, not the per-job cost asked about: printed, not counted.
  for (const mode of ['queue', 'direct'] as const) {
    const ms = mode === 'queue' ? await viaQueue(1000) : await direct(1000);
    console.log(`warm-up  ${mode.padEnd(6)}  ${(ms / 1000).toFixed(2)} s (first job of the process, not counted)`);
  }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['queue', 'direct'] as const) : (['direct', 'queue'] as const);
    for (const mode of order) {
      const ms = mode === 'queue' ? await viaQueue(round) : await direct(round);
      times[mode].push(ms);
      console.log(`round ${round + 1}  ${mode.padEnd(6)}  ${(ms / 1000).toFixed(2)} s`);
    }
  }
  const q = median(times.queue);
  const d = median(times.direct);
  const overhead = q / d - 1;
  console.log(`\nmedian: through the queue ${(q / 1000).toFixed(2)} s, direct ${(d / 1000).toFixed(2)} s, overhead ${(overhead * 100).toFixed(1)} % (goal < ${GOAL * 100} %): ${overhead < GOAL ? 'met' : 'NOT met'}`);
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(directDir, { recursive: true, force: true });
}
