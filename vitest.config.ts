import { readdirSync, existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One Vitest project per Nx project (libs/* and server apps/*), so `vitest run --project <name>`
// is what each Nx `test` target calls. The web app has its own browser test (apps/web/e2e).
const projectDirs = ['libs', 'apps'].flatMap((group) =>
  readdirSync(group, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${group}/${d.name}/src`))
    .map((d) => `${group}/${d.name}`),
);

export default defineConfig({
  test: {
    globalSetup: ['./scripts/test-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Files share a worker's module cache: each e2e file would otherwise import every service
    // afresh (about 7 s each). Measured here: the non-e2e files 387 s -> 342 s, the e2e files' import
    // 15 s in all. Files still isolate their data (own database or schema, own queue prefix) and
    // restore what they change in the process (process.env.TZ in read.test.ts).
    isolate: false,
    maxWorkers: 2,
    projects: projectDirs.map((dir) => ({
      extends: true,
      test: {
        name: dir.split('/')[1],
        include: [`${dir}/src/**/*.test.ts`],
        exclude: ['apps/web/**'],
      },
    })),
  },
});
