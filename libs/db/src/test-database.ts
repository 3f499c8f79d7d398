import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEMPLATE_DB = 'inkwell_test_template';

/** The server-level URL tests use (database part replaced per test file). */
export function serverUrl(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(base: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl(base, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Global setup: (re)creates the template database; the caller migrates it, then closes its pools. */
export async function recreateTemplate(base: string): Promise<string> {
  await admin(base, async (c) => {
    await c.query(`update pg_database set datistemplate = false where datname = $1`, [TEMPLATE_DB]);
    await c.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await c.query(`create database ${TEMPLATE_DB}`);
  });
  return serverUrl(base, TEMPLATE_DB);
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** Each test file gets its own database, copied from the migrated template, and drops it after. */
export async function createTestDatabase(base: string): Promise<TestDatabase> {
  const name = `inkwell_t_${randomBytes(6).toString('hex')}`;
  await admin(base, (c) => c.query(`create database ${name} template ${TEMPLATE_DB}`));
  return {
    name,
    url: serverUrl(base, name),
    drop: () => admin(base, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
