import type { TestProject } from 'vitest/node';
import { CommonEnv, loadConfig, processEnv } from '@inkwell/config';
import { createDb, ensureTemplate, migrateSchema } from '@inkwell/db';
import { ALL_MIGRATIONS } from './all-migrations';

/**
 * Runs once per `vitest run`: makes sure a template database with every service's migrations
 * exists, and hands its name to the test files, which each copy it (CREATE DATABASE ... TEMPLATE)
 * into a database of their own.
 */
export default async function setup(project: TestProject): Promise<void> {
  const config = loadConfig(CommonEnv, processEnv());
  const fingerprint = JSON.stringify(ALL_MIGRATIONS.map(({ schema, migrations }) => [schema, migrations.map((m) => [m.name, m.up.toString()])]));
  const template = await ensureTemplate(config.DATABASE_URL, fingerprint, async (url) => {
    // Each schema through a connection whose search path is that schema, as the service's own
    // start-up migrates it: tables land where production puts them, never all in `public`.
    for (const { schema, migrations } of ALL_MIGRATIONS) {
      const db = createDb({ url, schema, poolMax: 2 });
      try {
        await migrateSchema(db, url, schema, migrations);
      } finally {
        await db.destroy();
      }
    }
  });
  project.provide('templateDatabase', template);
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
