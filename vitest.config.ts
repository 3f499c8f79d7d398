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
