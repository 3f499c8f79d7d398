import knex, { type Knex } from 'knex';
import pg from 'pg';

// Return BIGINT counts and NUMERIC as JS numbers: every count Inkwell stores fits in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
// A DATE is a calendar day, not an instant: pg would make it local midnight, which east of UTC
// turns into the previous day once written back as ISO. Keep PostgreSQL's 'YYYY-MM-DD'.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = Knex;

export interface DbOptions {
  readonly url: string;
  /** The service's own schema: its tables live there and unqualified names resolve there. */
  readonly schema: string;
  readonly poolMax?: number;
  /** Where knex's own warnings go (it prints to the console otherwise). */
  readonly log?: (level: 'warn' | 'error', message: string) => void;
}

export function createDb(opts: DbOptions): Db {
  return knex({
    client: 'pg',
    connection: { connectionString: opts.url, application_name: `inkwell-${opts.schema}` },
    searchPath: [opts.schema, 'public'],
    log: {
      warn: (m: unknown) => opts.log?.('warn', String(m)),
      error: (m: unknown) => opts.log?.('error', String(m)),
      deprecate: (m: unknown) => opts.log?.('warn', String(m)),
      debug: () => undefined,
    },
    // Fail fast when PostgreSQL is down, so readiness and requests answer 503 rather than hang.
    acquireConnectionTimeout: 3000,
    pool: { min: 0, max: opts.poolMax ?? 10, createTimeoutMillis: 3000, idleTimeoutMillis: 30_000 },
  });
}

/** A readiness probe: one round trip. */
export const pingDb = async (db: Db): Promise<void> => {
  await db.raw('select 1');
};
