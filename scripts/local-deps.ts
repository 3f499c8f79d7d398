import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';

const HOW_TO_GET =
  'Start them with `docker compose up -d postgres redis`, or install the OS packages (Debian/Ubuntu: `apt-get install postgresql redis-server`), or point DATABASE_URL / REDIS_URL at running servers.';

const isLocal = (u: URL) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(u.hostname);

function findBinary(name: string): string | undefined {
  const fromPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (fromPath) return fromPath;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort().reverse();
  return versions.map((v) => `${root}/${v}/bin/${name}`).find((p) => existsSync(p));
}

export async function postgresAnswers(url: string): Promise<boolean> {
  const u = new URL(url);
  u.pathname = '/postgres';
  const c = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** PostgreSQL refuses to run as root; use the `postgres` account when we are root. */
function asPostgresUser(cmd: string, args: string[], dataRoot: string): [string, string[]] {
  if (process.getuid?.() !== 0) return [cmd, args];
  execFileSync('chown', ['-R', 'postgres', dataRoot]);
  return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
}

/**
 * Makes sure PostgreSQL answers at `url`: if nothing does and the URL is local, starts the
 * machine's own server binaries on a cluster in `<dataDir>/pg` (initdb on first run).
 * Returns how to stop what it started.
 */
export async function ensurePostgres(url: string, dataDir: string, log: (m: string) => void): Promise<() => void> {
  if (await postgresAnswers(url)) return () => undefined;
  const u = new URL(url);
  const initdb = findBinary('initdb');
  const pgCtl = findBinary('pg_ctl');
  if (!isLocal(u) || !initdb || !pgCtl) throw new Error(`PostgreSQL does not answer at ${u.host}. ${HOW_TO_GET}`);
  const root = resolve(dataDir);
  const cluster = resolve(root, 'pg');
  mkdirSync(cluster, { recursive: true, mode: 0o700 });
  if (!existsSync(resolve(cluster, 'PG_VERSION'))) {
    log(`initialising a PostgreSQL cluster in ${cluster}`);
    const [cmd, args] = asPostgresUser(initdb, ['-D', cluster, '-U', 'postgres', '--auth=trust', '--encoding=UTF8'], root);
    execFileSync(cmd, args, { stdio: 'inherit' });
  }
  const port = u.port || '5432';
  const [cmd, args] = asPostgresUser(pgCtl, ['-D', cluster, '-l', resolve(root, 'postgres.log'), '-w', '-o', `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`, 'start'], root);
  log(`starting PostgreSQL on port ${port}`);
  execFileSync(cmd, args, { stdio: 'inherit' });
  return () => {
    const [c, a] = asPostgresUser(pgCtl, ['-D', cluster, '-m', 'fast', 'stop'], root);
    spawnSync(c, a, { stdio: 'inherit' });
  };
}

export async function ensureDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1)) || 'postgres';
  u.pathname = '/postgres';
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await c.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await c.end();
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Same for Redis: starts the machine's `redis-server` (no persistence: a dev instance) when none answers. */
export async function ensureRedis(url: string, dataDir: string, log: (m: string) => void): Promise<ChildProcess | undefined> {
  if (await redisAnswers(url)) return undefined;
  const u = new URL(url);
  const bin = findBinary('redis-server');
  if (!isLocal(u) || !bin) throw new Error(`Redis does not answer at ${u.host}. ${HOW_TO_GET}`);
  mkdirSync(resolve(dataDir), { recursive: true });
  log(`starting redis-server on port ${u.port || '6379'}`);
  const child = spawn(bin, ['--port', u.port || '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', resolve(dataDir)], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await redisAnswers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  return child;
}
