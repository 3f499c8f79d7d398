import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

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

/**
 * Global setup: makes sure a template database for exactly these migrations exists. Its name
 * carries a hash of the migrations, so concurrent test runs (and runs of other branches) share a
 * finished template and never touch one another's: it is built under another name and renamed
 * into place only when complete, under an advisory lock.
 */
export async function ensureTemplate(base: string, fingerprint: string, migrate: (url: string) => Promise<void>): Promise<string> {
  const name = `inkwell_tpl_${createHash('sha256').update(fingerprint).digest('hex').slice(0, 16)}`;
  const building = `${name}_building`;
  await admin(base, async (c) => {
    await c.query('select pg_advisory_lock(4242)');
    try {
      const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount) return;
      await c.query(`drop database if exists ${building} with (force)`);
      await c.query(`create database ${building}`);
      await migrate(serverUrl(base, building));
      await c.query(`alter database ${building} rename to ${name}`);
      // Older templates (other migration sets) are dropped when nothing uses them.
      const old = await c.query<{ datname: string }>("select datname from pg_database where datname like 'inkwell_tpl_%' and datname <> $1", [name]);
      for (const row of old.rows) await c.query(`drop database if exists ${row.datname}`).catch(() => undefined);
    } finally {
      await c.query('select pg_advisory_unlock(4242)');
    }
  });
  return name;
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** Each test file gets its own database, copied from the migrated template, and drops it after. */
export async function createTestDatabase(base: string, template: string): Promise<TestDatabase> {
  const name = `inkwell_t_${randomBytes(6).toString('hex')}`;
  await admin(base, (c) => c.query(`create database ${name} template ${template}`));
  return {
    name,
    url: serverUrl(base, name),
    drop: () => admin(base, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
