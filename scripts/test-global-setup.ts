import { CommonEnv, loadConfig, processEnv } from '@inkwell/config';
import { createDb, migrateSchema, recreateTemplate } from '@inkwell/db';
import { ALL_MIGRATIONS } from './all-migrations';

/**
 * Runs once per `vitest run`: builds a template database with every service's migrations, which
 * each test file then copies (CREATE DATABASE ... TEMPLATE) into a database of its own.
 */
export default async function setup(): Promise<void> {
  const env = processEnv();
  const config = loadConfig(CommonEnv, env);
  const url = await recreateTemplate(config.DATABASE_URL);
  const db = createDb({ url, schema: 'public', poolMax: 2 });
  try {
    for (const { schema, migrations } of ALL_MIGRATIONS) await migrateSchema(db, url, schema, migrations);
  } finally {
    await db.destroy();
  }
}
