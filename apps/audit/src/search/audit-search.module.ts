import type { Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from '@inkwell/logger';
import { auditSearchRoutes } from './audit-search.routes';
import { AuditSearchService } from './audit-search.service';
import { AuditSearchStore } from './audit-search.store';
import type { LiveTailOptions } from './audit-stream';

/**
 * The audit log's read side, ready to mount: the service's `build` calls this and puts `routes`
 * on its app. Nothing to start or stop (each live tail ends with its client).
 */
export function buildAuditSearch(deps: { readonly db: Knex; readonly logger: Logger; readonly liveTail?: Partial<LiveTailOptions> }) {
  const search = new AuditSearchService(new AuditSearchStore(deps.db));
  return {
    search,
    routes: (app: Express): void => {
      app.use(auditSearchRoutes(search, { logger: deps.logger, ...(deps.liveTail ? { liveTail: deps.liveTail } : {}) }));
    },
  };
}
