/**
 * `npm test`: typecheck, lint, every unit and integration test (real PostgreSQL and Redis), the
 * browser test, and the compose validation; ends with one "N passed, N failed" line.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

interface Step {
  readonly name: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly optional?: () => string | null;
}

const report = '.data/vitest-report.json';
const typecheck: Step = { name: 'typecheck', cmd: 'npx', args: ['tsc', '-p', 'tsconfig.json'] };
const typecheckWeb: Step = { name: 'typecheck web', cmd: 'npx', args: ['tsc', '-p', 'apps/web/tsconfig.json', '--noEmit'], optional: () => (existsSync('apps/web/tsconfig.json') ? null : 'no web tsconfig') };
// ESLint's Nx module-boundary rule reads the cached project graph: compute it first, or the rule is skipped.
const projectGraph: Step = { name: 'project graph', cmd: 'npx', args: ['nx', 'show', 'projects'] };
const lint: Step = { name: 'lint', cmd: 'npx', args: ['eslint', '.', '--max-warnings=0'] };
const compose: Step = { name: 'compose', cmd: 'bash', args: ['infra/check-compose.sh'], optional: () => (existsSync('infra/check-compose.sh') ? null : 'no compose check script') };
const tests: Step = { name: 'tests', cmd: 'npx', args: ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`] };
/**
 * The checks run as two lanes side by side (each tool is single-threaded; the machine has two
 * cores), each step's output printed whole when it ends; the tests then run alone, as they
 * measure nothing but still want both cores.
 */
const checkLanes: readonly (readonly Step[])[] = [
  [typecheck, typecheckWeb, compose],
  [projectGraph, lint],
];

mkdirSync('.data', { recursive: true });
rmSync(report, { force: true }); // a report left by an earlier run must not be counted as this one
const env = { ...process.env, NX_DAEMON: 'false', FORCE_COLOR: process.env.CI ? '0' : '1' };
const failed: string[] = [];

/** Runs a step; its output goes to the terminal as it comes (`live`) or in one piece at its end. */
async function run(step: Step, live: boolean): Promise<void> {
  const skip = step.optional?.();
  if (skip) {
    process.stdout.write(`\n== ${step.name}: skipped (${skip})\n`);
    return;
  }
  const head = `\n== ${step.name}: ${step.cmd} ${step.args.join(' ')}\n`;
  if (live) process.stdout.write(head);
  const started = Date.now();
  const child = spawn(step.cmd, step.args, { stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'], env });
  const output: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => output.push(c));
  child.stderr?.on('data', (c: Buffer) => output.push(c));
  const status = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', (code) => resolve(code));
  });
  if (!live) process.stdout.write(head + Buffer.concat(output).toString());
  process.stdout.write(`== ${step.name}: ${status === 0 ? 'ok' : `FAILED (exit ${String(status)})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (status !== 0) failed.push(step.name);
}

const checksStarted = Date.now();
await Promise.all(
  checkLanes.map(async (lane) => {
    for (const step of lane) await run(step, false);
  }),
);
process.stdout.write(`== checks: ${((Date.now() - checksStarted) / 1000).toFixed(1)} s in all\n`);
await run(tests, true);

let passed = 0;
let failedTests = 0;
let skipped = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests?: number;
    numFailedTests?: number;
    numPendingTests?: number;
    numTodoTests?: number;
    testResults?: { status?: string; assertionResults?: { status?: string }[] }[];
  };
  passed = json.numPassedTests ?? 0;
  // A file that failed outside its tests (an import error, a failing beforeAll) has no failed
  // test to count, yet it failed: it counts as one.
  const brokenFiles = (json.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  failedTests = (json.numFailedTests ?? 0) + brokenFiles;
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
}
// Steps other than the test run (typecheck, lint, compose) count as one failure each.
failedTests += failed.filter((name) => name !== 'tests').length;
if (failed.length) process.stdout.write(`\nFailed steps: ${failed.join(', ')}\n`);
process.stdout.write(`\nTests: ${passed} passed, ${failedTests} failed, ${skipped} skipped\n`);
process.exit(failed.length ? 1 : 0);
