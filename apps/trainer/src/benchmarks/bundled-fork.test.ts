import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The Docker image runs the trainer as a bundle (infra/docker/bundle.mjs) without tsx: a benchmark
 * fork must then start the bundled `benchmark-fork.mjs` beside it. This bundles a fork of a tiny
 * model the same way, gives it a node_modules without tsx, and runs it with plain node.
 */
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'inkwell-bundled-fork-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a benchmark fork from a bundle without tsx', () => {
  it('runs the bundled benchmark-fork.mjs', async () => {
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    for (const name of readdirSync(join(repo, 'node_modules'))) {
      if (name !== 'tsx' && name !== '.bin') symlinkSync(join(repo, 'node_modules', name), join(modules, name));
    }
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { GraphBuilder } from ${JSON.stringify(join(repo, 'libs/onnx/src/index.ts'))};
import { measureInFork } from ${JSON.stringify(join(repo, 'apps/trainer/src/benchmarks/measure-in-fork.ts'))};
const g = new GraphBuilder('tiny');
const flat = g.node('Flatten', [g.input('image', 'float32', ['N', 1, 28, 28])], { axis: 1 });
const w = g.initializer('w', 'float32', [10, 784], new Array(7840).fill(0.01));
const b = g.initializer('b', 'float32', [10], new Array(10).fill(0));
g.output(g.node('Softmax', [g.node('Gemm', [flat, w, b], { transB: 1 })], { axis: 1 }, { outputs: ['probs'] }), 'float32', ['N', 10]);
const member = { name: 'tiny', bytes: g.toModel(), inputName: 'image', outputName: 'probs', normalization: { mean: 0, std: 1 } };
const runs = [];
await measureInFork({ spec: { engine: 'ort-cpu' }, variant: [member], cells: [{ batch: 2, inputs: [new Float32Array(2 * 784)] }], plan: { warmup: 1, iterations: 3 } }, async (_i, m) => { runs.push(m.samplesMs.length); });
console.log(JSON.stringify({ runs }));`,
    );
    await build({
      entryPoints: { main: entry, 'benchmark-fork': join(repo, 'apps/trainer/src/benchmarks/fork-child.ts') },
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
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')).toEqual({ runs: [3] });
  }, 90_000);
});
