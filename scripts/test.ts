/**
 * `npm test`: typecheck, lint, every unit and integration test (real PostgreSQL and Redis), the
 * browser test, and the compose validation; ends with one "N passed, N failed" line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

interface Step {
  readonly name: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly optional?: () => string | null;
}

const report = '.data/vitest-report.json';
const steps: Step[] = [
  { name: 'typecheck', cmd: 'npx', args: ['tsc', '-p', 'tsconfig.json'] },
  { name: 'typecheck web', cmd: 'npx', args: ['tsc', '-p', 'apps/web/tsconfig.json', '--noEmit'], optional: () => (existsSync('apps/web/tsconfig.json') ? null : 'no web tsconfig') },
  // ESLint's Nx module-boundary rule reads the cached project graph: compute it first, or the rule is skipped.
  { name: 'project graph', cmd: 'npx', args: ['nx', 'show', 'projects'] },
  { name: 'lint', cmd: 'npx', args: ['eslint', '.', '--max-warnings=0'] },
  { name: 'tests', cmd: 'npx', args: ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`] },
  { name: 'compose', cmd: 'bash', args: ['infra/check-compose.sh'], optional: () => (existsSync('infra/check-compose.sh') ? null : 'no compose check script') },
];

mkdirSync('.data', { recursive: true });
rmSync(report, { force: true }); // a report left by an earlier run must not be counted as this one
const env = { ...process.env, NX_DAEMON: 'false', FORCE_COLOR: process.env.CI ? '0' : '1' };
const failed: string[] = [];
for (const step of steps) {
  const skip = step.optional?.();
  if (skip) {
    process.stdout.write(`\n== ${step.name}: skipped (${skip})\n`);
    continue;
  }
  process.stdout.write(`\n== ${step.name}: ${step.cmd} ${step.args.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(step.cmd, step.args, { stdio: 'inherit', env });
  process.stdout.write(`== ${step.name}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (r.status !== 0) failed.push(step.name);
}

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
