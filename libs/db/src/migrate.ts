import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import type { Db } from './create-db';

/** One append-only migration, named `YYYYMMDDHHMMSS_what-it-does`. */
export interface Migration {
  readonly name: string;
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

const NAME = /^\d{14}_[a-z0-9-]+$/;

/** Migrations are imported statically (no file globbing), so bundles and tests see the same list. */
class StaticSource implements Knex.MigrationSource<Migration> {
  constructor(private readonly migrations: readonly Migration[]) {}
  getMigrations(): Promise<Migration[]> {
    return Promise.resolve([...this.migrations]);
  }
  getMigrationName(m: Migration): string {
    return m.name;
  }
  getMigration(m: Migration): Promise<Knex.Migration> {
    return Promise.resolve({ up: (k: Knex) => m.up(k), down: (k: Knex) => m.down(k) });
  }
}

const lockKey = (schema: string): bigint => createHash('sha256').update(`inkwell-migrate:${schema}`).digest().readBigInt64BE(0);

/**
 * Brings a service's schema up to date. Replicas starting together serialise on a PostgreSQL
 * advisory lock (knex's own lock table makes the losers fail instead of wait).
 */
export async function migrateSchema(db: Db, url: string, schema: string, migrations: readonly Migration[]): Promise<string[]> {
  for (const m of migrations) if (!NAME.test(m.name)) throw new Error(`migration name ${m.name} is not YYYYMMDDHHMMSS_what-it-does`);
  const lockClient = new pg.Client({ connectionString: url });
  await lockClient.connect();
  const key = lockKey(schema).toString();
  try {
    await lockClient.query('select pg_advisory_lock($1)', [key]);
    await db.raw('create schema if not exists ??', [schema]);
    const [, applied] = (await db.migrate.latest({
      schemaName: schema,
      tableName: 'knex_migrations',
      migrationSource: new StaticSource(migrations),
    })) as [number, string[]];
    return applied;
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [key]).catch(() => undefined);
    await lockClient.end();
  }
}
