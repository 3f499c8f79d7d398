import type { Role } from '@inkwell/contracts';
import { signIdentity } from '@inkwell/auth-guard';
import { createDb, type Db } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { auditService } from '../../service';
import { seedEvents, type SeedEvent } from './seed-events';

export type AuditService = Awaited<ReturnType<typeof startService<typeof auditService.env, ReturnType<typeof auditService.build>>>>;

export interface SearchHarness {
  readonly env: TestEnv;
  /** The test's own database, schema `audit`. */
  readonly db: Db;
  readonly service: AuditService;
  /** Stores events through the running service's chain writer; their seqs, in order. */
  seed(events: readonly SeedEvent[]): Promise<number[]>;
  /** The signed identity header of an admin (or of the role given). */
  as(role?: Role): string;
  close(): Promise<void>;
}

/** The audit service on its own database and Redis prefix, listening on a free port. */
export async function startSearchHarness(): Promise<SearchHarness> {
  const env = await createTestEnv();
  const db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'audit', poolMax: 2 });
  const service = await startService(auditService, { env: env.env, logger: createLogger('audit', 'silent'), poolMax: 4 });
  const secret = env.env.INTERNAL_TOKEN_SECRET ?? '';
  return {
    env,
    db,
    service,
    seed: (events) => seedEvents(service.exposes.writer, events),
    as: (role: Role = 'admin') => signIdentity({ kind: 'user', sub: `${role}-user`, role, email: `${role}@test`, session_id: null, ip: '127.0.0.1', user_agent: null }, secret),
    async close() {
      await service.close();
      await db.destroy();
      await env.cleanup();
    },
  };
}
