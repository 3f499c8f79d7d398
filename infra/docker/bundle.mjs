// Bundles one service into `dist/<app>/main.mjs` for its image:
//   node infra/docker/bundle.mjs <gateway|auth|inference|trainer|report|audit>
//
// Our own TypeScript (apps/<app> and every @inkwell/* workspace lib) is inlined; every third-party
// package stays an import resolved from node_modules at run time (native addons such as
// onnxruntime-node, sharp and argon2 cannot be bundled, and pino, knex and swagger-ui find files
// relative to their own package).
//
// Why not `esbuild --packages=external`: it also leaves `@inkwell/*` imports external, and those
// packages' `exports` point at TypeScript sources that plain `node` cannot load. The plugin below
// is `--packages=external` minus the workspace scope.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';

const APPS = ['gateway', 'auth', 'inference', 'trainer', 'report', 'audit'];
const WORKSPACE_SCOPE = '@inkwell/';

const app = process.argv[2] ?? '';
if (!APPS.includes(app)) {
  console.error(`usage: node infra/docker/bundle.mjs <${APPS.join('|')}> (got "${app}")`);
  process.exit(2);
}
const entry = `apps/${app}/src/main.ts`;
if (!existsSync(entry)) {
  console.error(`${entry} does not exist`);
  process.exit(2);
}

const builtins = new Set(builtinModules);
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
/** Third-party packages the bundle imports at run time, with one importer each for the message. */
const externals = new Map();

/** @type {import('esbuild').Plugin} */
const externalThirdParty = {
  name: 'external-third-party',
  setup(b) {
    // Bare specifiers only: relative and absolute paths are our own files.
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith(WORKSPACE_SCOPE)) return undefined;
      if (!args.path.startsWith('node:') && !builtins.has(args.path)) externals.set(packageOf(args.path), args.importer);
      return { path: args.path, external: true };
    });
  },
};

// Worker-thread (and benchmark child-process) entry files, bundled beside main.mjs (the app finds them relative to itself).
const WORKERS = {
  inference: { 'ort-worker': 'apps/inference/src/engine/ort-worker.ts' },
  trainer: { 'classic-fit-worker': 'libs/ml-classic/src/worker/fit-worker.ts', 'train-worker': 'libs/ml/src/train/worker.ts', 'benchmark-fork': 'apps/trainer/src/benchmarks/fork-child.ts' },
};

const result = await build({
  entryPoints: { main: entry, ...(WORKERS[app] ?? {}) },
  outdir: `dist/${app}`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Stack traces in logs point at the TypeScript sources (the image sets --enable-source-maps).
  sourcemap: true,
  plugins: [externalThirdParty],
  logLevel: 'warning',
  metafile: true,
  // Written below, only once the dependency check passed: no half-good bundle is left behind.
  write: false,
});

// The image installs `dependencies` only (npm ci --omit=dev): a run-time import of anything else
// would crash the container at start, so fail the build instead.
const { dependencies = {} } = JSON.parse(readFileSync('package.json', 'utf8'));
const missing = [...externals].filter(([name]) => !(name in dependencies));
if (missing.length > 0) {
  for (const [name, importer] of missing) console.error(`${name} (imported by ${importer}) is not in package.json "dependencies"`);
  process.exit(1);
}

for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.contents);
}
const inputs = Object.keys(result.metafile.inputs).length;
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`bundled ${entry} (+${Object.keys(WORKERS[app] ?? {}).length} worker entries) -> dist/${app}/ (${inputs} source files, ${Math.round(bytes / 1024)} KiB with map)`);
