import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { CommonEnv, loadConfig } from '@inkwell/config';
import { createRedis, deleteNamespace } from '@inkwell/queue';
import { ensureDatabase } from '../../scripts/local-deps';
import { isRefusal, listModelFolders, readModelFolder } from '@inkwell/model-artifacts';
import { ensureTestModel } from '../../apps/inference/src/testing/test-model';

export interface Stack {
  readonly gatewayUrl: string;
  readonly inferenceUrl: string;
  readonly models: string;
  /** The process id of a started service (`gateway`, `auth`, `inference`, `trainer`). */
  pidOf(service: string): number | undefined;
  /** CPU seconds (user + system) each service process has used so far. */
  cpuSeconds(): Record<string, number>;
  stop(): Promise<void>;
}

/** utime + stime of a process from /proc (Linux), in seconds. */
export function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Polls `url` until it answers 200; fails early when `child` (the server being waited for) exits. */
export async function until(url: string, ms: number, child?: ChildProcess): Promise<void> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 200))) {
    if (child && child.exitCode !== null) throw new Error(`the server for ${url} exited with ${child.exitCode} before answering`);
    const res = await fetch(url).catch(() => null);
    if (res?.ok) return;
  }
  throw new Error(`${url} did not answer 200 within ${ms} ms`);
}

/** The default ensemble when `models/` holds valid folders, else the cached small test model. */
async function modelDir(): Promise<{ dir: string; label: string }> {
  const valid = [];
  for (const f of await listModelFolders('models')) if (!isRefusal(await readModelFolder('models', f))) valid.push(f);
  if (valid.length > 0) return { dir: 'models', label: `default models/ (${valid.join(', ')})` };
  const t = await ensureTestModel();
  return { dir: t.modelDir, label: `small test model ${t.modelId} (no valid default models in models/)` };
}

/**
 * Auth, inference and the gateway as separate processes (`node --import tsx apps/<svc>/src/main.ts`),
 * on their own ports and Redis prefix, so the gateway and inference run on separate cores as in
 * production. Report and audit are not started (the read path does not touch them); the trainer only with `opts.trainer`.
 */
export async function startStack(env: Record<string, string>, profileDir?: string, opts: { trainer?: boolean; logDir?: string } = {}): Promise<Stack> {
  const { dir, label: all } = await modelDir();
  // INFERENCE_ACTIVE_MODELS (e.g. one model, for a comparison with single-model designs) narrows the set.
  const label = env.INFERENCE_ACTIVE_MODELS ? `${dir}/ (${env.INFERENCE_ACTIVE_MODELS})` : all;
  const base = 18_000 + Math.floor(Math.random() * 500) * 10;
  // A database of its own (auth and inference migrate it), dropped at stop: the bench needs no
  // prepared database and leaves nothing behind.
  const dbUrl = new URL(loadConfig(CommonEnv).DATABASE_URL);
  const dbName = `inkwell_bench_${randomBytes(4).toString('hex')}`;
  dbUrl.pathname = `/${dbName}`;
  await ensureDatabase(dbUrl.toString());
  // The trainer (datasets, training) only when a bench asks for it (bench/dataset-upload).
  const ports = { GATEWAY_PORT: base, AUTH_PORT: base + 1, INFERENCE_PORT: base + 2, ...(opts.trainer ? { TRAINER_PORT: base + 3 } : {}) };
  const redisPrefix = `bench${randomBytes(3).toString('hex')}`;
  const shared: Record<string, string> = {
    DATABASE_URL: dbUrl.toString(),
    AUTH_URL: `http://127.0.0.1:${ports.AUTH_PORT}`,
    INFERENCE_URL: `http://127.0.0.1:${ports.INFERENCE_PORT}`,
    ...(opts.trainer ? { TRAINER_URL: `http://127.0.0.1:${base + 3}` } : {}),
    INFERENCE_MODEL_DIR: dir,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    ...env,
    // The run's own namespace, deleted at stop, so not overridable like the rest.
    REDIS_PREFIX: redisPrefix,
  };
  const children: ChildProcess[] = [];
  const names = new Map<ChildProcess, string>();
  const start = (svc: string) => {
    const prof = profileDir && svc !== 'auth' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    // `opts.logDir`: each service's JSON log lines in `<svc>.log` (bench/batch reads the worker's timings there).
    const stdout = opts.logDir ? 'pipe' : 'ignore';
    const child = spawn(process.execPath, [...prof, '--import', 'tsx', `apps/${svc}/src/main.ts`], { env: { ...process.env, ...shared }, stdio: ['ignore', stdout, 'inherit'] });
    if (opts.logDir) child.stdout?.pipe(createWriteStream(join(opts.logDir, `${svc}.log`)));
    children.push(child);
    names.set(child, svc);
  };
  start('auth');
  start('inference');
  await until(`${shared.AUTH_URL}/readyz`, 60_000);
  await until(`${shared.INFERENCE_URL}/readyz`, 120_000);
  if (opts.trainer) {
    start('trainer');
    await until(`${shared.TRAINER_URL}/readyz`, 60_000);
  }
  start('gateway');
  await until(`http://127.0.0.1:${ports.GATEWAY_PORT}/healthz`, 60_000);
  return {
    gatewayUrl: `http://127.0.0.1:${ports.GATEWAY_PORT}`,
    inferenceUrl: shared.INFERENCE_URL ?? '',
    models: label,
    pidOf(service) {
      return children.find((c) => names.get(c) === service)?.pid;
    },
    cpuSeconds() {
      const out: Record<string, number> = {};
      for (const c of children) if (c.pid !== undefined) out[names.get(c) ?? '?'] = cpuOf(c.pid);
      return out;
    },
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
            }),
        ),
      );
      const admin = new URL(dbUrl);
      admin.pathname = '/postgres';
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`drop database if exists "${dbName}" with (force)`).finally(() => c.end());
      // The services leave queue metadata under the run's prefix; the bench leaves nothing behind.
      const redis = createRedis(loadConfig(CommonEnv).REDIS_URL, 'worker');
      await deleteNamespace(redis, redisPrefix).finally(() => redis.disconnect());
    },
  };
}
