/**
 * The audit log at 1,000,000 events (issue 25, done-when 4 and 5):
 *   1. a database of its own, migrated, filled by one INSERT ... SELECT (fill-events.ts), then the
 *      search indexes built (their migration runs after the fill, and its time is printed);
 *   2. the audit service as a child process (`node --import tsx apps/audit/src/main.ts`), called
 *      directly with a signed admin identity (the gateway only forwards these routes);
 *   3. each query kind (no filter, each filter, combinations, keyword, deep cursor) `--runs` times
 *      with varying values, p50/p95/max latency over HTTP against the 500 ms target;
 *   4. the CSV export of every event over HTTP, parsed back as it arrives: the row count, every seq
 *      once, sampled rows compared with the search's JSON, and the service's RSS (VmRSS from
 *      /proc, every 50 ms) against the 100 MB growth target.
 * Leaves nothing behind (database dropped, Redis namespace deleted).
 *
 *   nice -n 10 npx tsx bench/audit/main.ts [--events 1000000] [--runs 30] [--days 80] [--export-only]
 *
 * `--export-only` skips step 3 (the export's RSS baseline is then the service just started).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { AUDIT_CSV_COLUMNS, AuditLogPage, IDENTITY_HEADER, type AuditLogEntry } from '@inkwell/contracts';
import { signIdentity } from '@inkwell/auth-guard';
import { AuditEnv, loadConfig, processEnv } from '@inkwell/config';
import { createDb, migrateSchema } from '@inkwell/db';
import { createRedis, deleteNamespace } from '@inkwell/queue';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '../../apps/audit/src/migrations';
import { createAuditSearchIndexes } from '../../apps/audit/src/migrations/20261210210000_audit-search-indexes';
import { CsvReader, uncell } from '../../apps/audit/src/search/audit-csv';
import { ensureDatabase } from '../../scripts/local-deps';
import { fillEvents, NOTE_WORDS } from './fill-events';
import { queryKinds } from './query-kinds';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '30' }, days: { type: 'string', default: '80' }, 'export-only': { type: 'boolean', default: false } } });
const COUNT = Number(values.events);
const RUNS = Math.max(1, Number(values.runs));
const DAYS = Number(values.days);
const P95_TARGET_MS = 500;
const RSS_TARGET_MB = 100;

const config = loadConfig(AuditEnv, processEnv());
const dbUrl = new URL(config.DATABASE_URL);
const dbName = `inkwell_audit_bench_${randomBytes(4).toString('hex')}`;
dbUrl.pathname = `/${dbName}`;
const redisPrefix = `bench${randomBytes(3).toString('hex')}`;
const port = 19_000 + Math.floor(Math.random() * 900);
const base = `http://127.0.0.1:${port}`;
const identity = signIdentity({ kind: 'user', sub: 'audit-bench', role: 'admin', email: 'bench@inkwell.local', session_id: null, ip: '127.0.0.1', user_agent: null }, config.INTERNAL_TOKEN_SECRET, 24 * 3600);
const headers = { [IDENTITY_HEADER]: identity };

const seconds = (t0: number): string => ((performance.now() - t0) / 1000).toFixed(1);
const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
/** The process's CPU time (user + system) in seconds: unlike rows/s, barely moved by other work on the machine. */
const cpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const rssKb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

let child: ChildProcess | null = null;

async function until(url: string, ms: number): Promise<void> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 200))) {
    if (child && child.exitCode !== null) throw new Error(`the audit service exited with ${child.exitCode}`);
    if ((await fetch(url).catch(() => null))?.ok) return;
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

async function cleanup(): Promise<void> {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  const admin = new URL(dbUrl);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`drop database if exists "${dbName}" with (force)`).finally(() => c.end());
  const redis = createRedis(config.REDIS_URL, 'worker');
  await deleteNamespace(redis, redisPrefix).finally(() => redis.disconnect());
}

async function prepare(): Promise<void> {
  await ensureDatabase(dbUrl.toString());
  const db = createDb({ url: dbUrl.toString(), schema: AUDIT_SCHEMA, poolMax: 2 });
  try {
    // Every migration but the search indexes: a million rows go in faster without them, and
    // building them afterwards is what adding them to a full production table costs.
    await migrateSchema(db, dbUrl.toString(), AUDIT_SCHEMA, AUDIT_MIGRATIONS.filter((m) => m !== createAuditSearchIndexes));
    const end = new Date();
    // The monthly partitions the rows fall in (the service makes the current ones at start).
    for (let m = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - Math.ceil(DAYS / 28) - 1, 1)); m <= end; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
      const next = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
      const name = `events_${m.getUTCFullYear()}_${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
      await db.raw(`create table if not exists ${name} partition of events for values from ('${m.toISOString()}') to ('${next.toISOString()}')`);
    }
    let t0 = performance.now();
    await fillEvents(db, { count: COUNT, days: DAYS, end });
    console.log(`filled ${COUNT.toLocaleString('en')} events over ${DAYS} days in ${seconds(t0)} s`);
    t0 = performance.now();
    await migrateSchema(db, dbUrl.toString(), AUDIT_SCHEMA, AUDIT_MIGRATIONS);
    await db.raw('analyze events');
    const size = (await db.raw<{ rows: { total: string; indexes: string }[] }>(`select pg_size_pretty(sum(pg_total_relation_size(c.oid))) as total, pg_size_pretty(sum(pg_indexes_size(c.oid))) as indexes from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'events' and p.relnamespace = 'audit'::regnamespace`)).rows[0];
    console.log(`search indexes built and analysed in ${seconds(t0)} s; events take ${size?.total} (indexes ${size?.indexes})`);
  } finally {
    await db.destroy();
  }
}

async function startService(): Promise<number> {
  const env = { ...process.env, DATABASE_URL: dbUrl.toString(), REDIS_PREFIX: redisPrefix, AUDIT_PORT: String(port), LOG_LEVEL: 'warn', AUDIT_RETENTION_DAYS: '3650', NODE_ENV: 'development' };
  child = spawn(process.execPath, ['--import', 'tsx', 'apps/audit/src/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  await until(`${base}/readyz`, 60_000);
  if (child.pid === undefined) throw new Error('the audit service has no pid');
  return child.pid;
}

async function search(query: Record<string, string>): Promise<{ ms: number; page: AuditLogPage }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/admin/audit-logs?${new URLSearchParams(query).toString()}`, { headers });
  const body: unknown = await res.json();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`search ${JSON.stringify(query)} answered ${res.status}: ${JSON.stringify(body)}`);
  return { ms, page: AuditLogPage.parse(body) };
}

async function measureQueries(): Promise<boolean> {
  console.log(`\nsearch latency over HTTP, ${RUNS} runs per kind with varying values (target: p95 < ${P95_TARGET_MS} ms)`);
  console.log(`${'query kind'.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'rows'.padStart(6)}   target`);
  let allMet = true;
  for (const kind of queryKinds({ count: COUNT, days: DAYS, now: new Date(), words: NOTE_WORDS })) {
    // One unmeasured run: the first touch of an index reads it from disk.
    await search(kind.query(0));
    const times: number[] = [];
    let rows = 0;
    for (let i = 1; i <= RUNS; i += 1) {
      const { ms, page } = await search(kind.query(i));
      times.push(ms);
      rows += page.items.length;
    }
    const p95 = percentile(times, 95);
    const met = p95 < P95_TARGET_MS;
    allMet &&= met;
    console.log(`${kind.name.padEnd(46)} ${percentile(times, 50).toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${Math.max(...times).toFixed(1).padStart(8)} ${(rows / RUNS).toFixed(0).padStart(6)}   ${met ? 'met' : 'NOT met'}`);
  }
  return allMet;
}

const cellsOf = (e: AuditLogEntry): string[] => [
  String(e.seq), e.event_id, e.occurred_at, e.recorded_at, e.service, e.type, e.action, e.result, e.actor.kind, e.actor.id ?? '', e.actor.email ?? '', e.actor.role ?? '',
  e.resource?.type ?? '', e.resource?.id ?? '', e.ip ?? '', e.user_agent ?? '', e.request_id ?? '', JSON.stringify(e.details), e.hash,
];

async function measureExport(pid: number): Promise<boolean> {
  console.log(`\nCSV export of every event over HTTP (target: the service's RSS grows by under ${RSS_TARGET_MB} MB)`);
  const samples = new Set(Array.from({ length: 200 }, () => 1 + Math.floor(Math.random() * COUNT)));
  const sampled = new Map<number, string[]>();
  const baseline = rssKb(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssKb(pid));
  }, 50);
  let rows = 0;
  let bytes = 0;
  let header: string[] | null = null;
  let expectSeq = COUNT;
  let outOfOrder = 0;
  let badWidth = 0;
  const progress: string[] = [];
  const reader = new CsvReader((cells) => {
    if (header === null) {
      header = cells;
      return;
    }
    rows += 1;
    // RSS as the export goes on: flat after the first quarter means memory does not follow the row count.
    if (rows % Math.ceil(COUNT / 4) === 0) progress.push(`${Math.round((rows / COUNT) * 100)}%: ${(rssKb(pid) / 1024).toFixed(0)} MB`);
    const seq = Number(cells[0]);
    if (seq !== expectSeq) outOfOrder += 1;
    expectSeq = seq - 1;
    if (cells.length !== AUDIT_CSV_COLUMNS.length) badWidth += 1;
    if (samples.has(seq)) sampled.set(seq, cells.map(uncell));
  });
  const t0 = performance.now();
  const cpu0 = cpuSeconds(pid);
  try {
    const res = await fetch(`${base}/api/admin/audit-logs/export.csv`, { headers });
    if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}`);
    const decoder = new TextDecoder();
    for await (const chunk of res.body) {
      bytes += chunk.byteLength;
      reader.push(decoder.decode(chunk, { stream: true }));
    }
    reader.end();
  } finally {
    clearInterval(sampler);
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  const growthMb = (peak - baseline) / 1024;
  console.log(`${rows.toLocaleString('en')} rows, ${(bytes / 1e6).toFixed(0)} MB in ${secs.toFixed(1)} s (${Math.round(rows / secs).toLocaleString('en')} rows/s); the service's CPU time ${cpu.toFixed(1)} s (${Math.round(rows / cpu).toLocaleString('en')} rows per CPU second)`);
  console.log(`service RSS: ${(baseline / 1024).toFixed(0)} MB before, ${(peak / 1024).toFixed(0)} MB at peak: grew ${growthMb.toFixed(1)} MB   ${growthMb < RSS_TARGET_MB ? 'met' : 'NOT met'}`);
  console.log(`service RSS as the rows arrived: ${progress.join(', ')}`);

  let mismatched = 0;
  for (const [seq, cells] of sampled) {
    const { page } = await search({ cursor: String(seq + 1), limit: '1' });
    const e = page.items[0];
    if (!e || e.seq !== seq || JSON.stringify(cellsOf(e)) !== JSON.stringify(cells)) mismatched += 1;
  }
  const headerOk = JSON.stringify(header) === JSON.stringify(AUDIT_CSV_COLUMNS);
  const complete = rows === COUNT && outOfOrder === 0 && expectSeq === 0 && badWidth === 0 && headerOk;
  console.log(`parsed back: header ${headerOk ? 'ok' : 'WRONG'}, ${rows.toLocaleString('en')} of ${COUNT.toLocaleString('en')} rows, seqs ${COUNT}..1 each once ${outOfOrder === 0 && expectSeq === 0 ? 'yes' : `NO (${outOfOrder} out of order)`}, rows of the wrong width ${badWidth}, ${sampled.size} sampled rows equal to the search's JSON: ${sampled.size - mismatched}`);
  return complete && mismatched === 0 && growthMb < RSS_TARGET_MB;
}

let ok = false;
try {
  console.log(`audit bench: ${COUNT.toLocaleString('en')} events, database ${dbName}`);
  await prepare();
  const pid = await startService();
  const queriesMet = values['export-only'] ? true : await measureQueries();
  const exportMet = await measureExport(pid);
  ok = queriesMet && exportMet;
  console.log(`\n${ok ? 'all targets met' : 'some targets NOT met'}`);
} finally {
  await cleanup();
}
process.exit(ok ? 0 : 1);
