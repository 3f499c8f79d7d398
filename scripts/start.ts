/**
 * `npm start`: the whole platform on this machine. Uses DATABASE_URL / REDIS_URL (defaults from
 * .env or .env.example); starts the machine's own PostgreSQL and Redis if none answers; builds the
 * web app if needed; runs every service and waits until the gateway is ready.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CommonEnv, GatewayEnv, loadConfig, processEnv } from '@inkwell/config';
import { ensureDatabase, ensurePostgres, ensureRedis } from './local-deps';

const SERVICES = ['auth', 'inference', 'trainer', 'report', 'audit', 'gateway'] as const;
const log = (m: string) => process.stdout.write(`[inkwell] ${m}\n`);

/** What each service's own /readyz says is missing (those that answer ready are left out). */
async function notReadyServices(gateway: GatewayEnv): Promise<string[]> {
  const services = { auth: gateway.AUTH_URL, inference: gateway.INFERENCE_URL, trainer: gateway.TRAINER_URL, report: gateway.REPORT_URL, audit: gateway.AUDIT_URL };
  const answers = await Promise.all(
    Object.entries(services).map(async ([name, url]) => {
      const res = await fetch(`${url}/readyz`).catch(() => null);
      if (!res) return `${name}: not answering`;
      if (res.ok) return null;
      const body = (await res.json().catch(() => ({}))) as { dependencies?: Record<string, { ok: boolean; error?: string }> };
      const failing = Object.entries(body.dependencies ?? {}).filter(([, d]) => !d.ok).map(([n, d]) => `${n} ${d.error ?? 'not ready'}`);
      return `${name}: ${failing.join(', ') || 'not ready'}`;
    }),
  );
  return answers.filter((a): a is string => a !== null);
}

async function main(): Promise<void> {
  const env = processEnv();
  const common = loadConfig(CommonEnv, env);
  const gateway = loadConfig(GatewayEnv, env);
  const stopPostgres = await ensurePostgres(common.DATABASE_URL, common.DATA_DIR, log);
  await ensureDatabase(common.DATABASE_URL);
  const redis = await ensureRedis(common.REDIS_URL, common.DATA_DIR, log);

  if (!existsSync(`${gateway.WEB_DIST_DIR}/index.html`)) {
    log('building the web app');
    const built = spawnSync('npm', ['run', '--silent', 'build:web'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('web build failed');
  }

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping services');
    await Promise.all(
      [...children.values()].map((c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : (c.once('exit', () => resolve()), c.kill('SIGTERM'))))),
    );
    redis?.kill('SIGTERM');
    stopPostgres();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  for (const name of SERVICES) {
    const child = spawn(process.execPath, ['--import', 'tsx', `apps/${name}/src/main.ts`], { env: { ...env }, stdio: 'inherit' });
    children.set(name, child);
    child.once('exit', (code) => {
      if (stopping) return;
      log(`${name} exited with code ${code}; stopping the platform`);
      void stopAll(1);
    });
  }

  const readyUrl = `http://127.0.0.1:${gateway.GATEWAY_PORT}/readyz`;
  for (let i = 0; i < 120; i++) {
    const res = await fetch(readyUrl).catch(() => null);
    if (res?.ok) {
      log(`ready: ${gateway.PUBLIC_URL} (API docs at ${gateway.PUBLIC_URL}/api/docs; queues at /admin/queues)`);
      return;
    }
    if (res && i >= 40) {
      // The gateway's public /readyz names no dependency; each service's own (internal) port does.
      const waiting = await notReadyServices(gateway);
      log(`serving at ${gateway.PUBLIC_URL}, but not ready yet — ${waiting.join('; ') || 'see /readyz?detail=1 as an admin'}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`the gateway did not answer; see ${readyUrl}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`[inkwell] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
