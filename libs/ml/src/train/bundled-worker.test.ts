import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The Docker image runs a bundle (infra/docker/bundle.mjs) with production dependencies only:
 * no tsx. Training must then start its worker from the bundled `train-worker.mjs` beside the
 * bundle, without even resolving tsx. This bundles a tiny training run the same way (workspace
 * code inside, packages outside), gives it a node_modules without tsx, and runs it with plain node.
 */
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'inkwell-bundled-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('training from a bundle without tsx', () => {
  it('runs the bundled train-worker.mjs', async () => {
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    for (const name of readdirSync(join(repo, 'node_modules'))) {
      if (name !== 'tsx' && name !== '.bin') symlinkSync(join(repo, 'node_modules', name), join(modules, name));
    }
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { train } from ${JSON.stringify(join(repo, 'libs/ml/src/index.ts'))};
const n = 128;
const images = new Uint8Array(n * 784).map((_, i) => (i * 37) % 256);
const labels = new Uint8Array(n).map((_, i) => i % 10);
const model = await train({ arch: { kind: 'mlp', hidden: [8] }, optimizer: { kind: 'sgd', lr: 0.01, momentum: 0 }, epochs: 1, batchSize: 64, data: { images, labels, count: n } });
console.log(JSON.stringify({ epochs: model.history.length }));`,
    );
    await build({
      entryPoints: { main: entry, 'train-worker': join(repo, 'libs/ml/src/train/worker.ts') },
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
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'main.mjs')], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 });
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')).toEqual({ epochs: 1 });
  });
});
