import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The Docker image runs each service as a bundle (infra/docker/bundle.mjs) with production
 * dependencies only: no tsx, so a worker thread or child process must start from its bundled
 * `.mjs` beside main.mjs. This bundles `main` (TypeScript source; import repo files by absolute
 * path, see `repoPath`) with the extra `entries` (name -> repo-relative source) the same way, gives
 * it a node_modules without tsx, runs it with plain node and answers its stdout's last line.
 */
export async function runBundledWithoutTsx(main: string, entries: Readonly<Record<string, string>>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'inkwell-bundled-'));
  try {
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    for (const name of readdirSync(join(repo, 'node_modules'))) {
      if (name !== 'tsx' && name !== '.bin') symlinkSync(join(repo, 'node_modules', name), join(modules, name));
    }
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, main);
    await build({
      entryPoints: { main: entry, ...Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, join(repo, file)])) },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      absWorkingDir: repo,
      logLevel: 'error',
      // As infra/docker/bundle.mjs: workspace libraries inside the bundle, every package outside.
      plugins: [{ name: 'packages-outside', setup: (b) => b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@inkwell/') ? undefined : { path: a.path, external: true })) }],
    });
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'main.mjs')], { cwd: dir, env: { PATH: process.env['PATH'] ?? '' }, timeout: 60_000 });
    return stdout.trim().split('\n').pop() ?? '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A repo file's absolute path, JSON-quoted for an import in `runBundledWithoutTsx`'s source. */
export const repoPath = (file: string): string => JSON.stringify(join(repo, file));
