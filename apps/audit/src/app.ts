import type { Worker } from 'bullmq';
import type { Express } from 'express';
import type { AuditEnv } from '@inkwell/config';
import { createRedis, createTypedWorker, TypedQueue } from '@inkwell/queue';
import type { ServiceContext } from '@inkwell/runtime';
import { ChainStore } from './chain/chain.store';
import { ChainWriter } from './chain/chain-writer';
import { CheckpointSigner } from './checkpoints/checkpoint-signature';
import { CheckpointsStore } from './checkpoints/checkpoints.store';
import { auditBatches, auditHandlers } from './ingest/audit.worker';
import { ensurePartitionsAhead, maintain } from './retention/maintenance';
import { PeriodicTask } from './retention/periodic-task';
import { RetentionService } from './retention/retention.service';
import { buildAuditSearch } from './search/audit-search.module';
import { buildAdminDashboard } from './stats/admin-dashboard.module';
import { CheckpointChain } from './verify/checkpoint-chain';
import { ChainVerifier } from './verify/chain-verifier';
import { verifyRoutes } from './verify/verify.routes';
import { VerifyService } from './verify/verify.service';

export interface AuditBuildOptions {
  /** The clock events are recorded by and retention measures against (a test moves it). */
  readonly now?: () => Date;
}

/**
 * The audit service's `build`: the hash-chained event store and its writer, the `audit` queue's
 * worker (started in `start`), verify, and the timers for checkpoints and maintenance
 * (partitions, retention).
 */
export function buildAudit(ctx: ServiceContext<AuditEnv>, opts: AuditBuildOptions = {}) {
  const { config, logger, db, redis } = ctx;
  const now = opts.now ?? (() => new Date());
  const auditQueue = new TypedQueue('audit', redis, config.REDIS_PREFIX);
  const chain = new ChainStore();
  const checkpoints = new CheckpointsStore(new CheckpointSigner(config.AUDIT_CHECKPOINT_SECRET), config.AUDIT_CHECKPOINT_EVERY);
  const writer = new ChainWriter(db, chain, checkpoints, { checkpointEvery: config.AUDIT_CHECKPOINT_EVERY, now });
  const batches = auditBatches(writer, config.AUDIT_INGEST_BATCH, { retentionDays: config.AUDIT_RETENTION_DAYS, now, logger });
  const verifier = new ChainVerifier(chain, checkpoints, new CheckpointChain(chain, checkpoints, config.AUDIT_CHECKPOINT_EVERY));
  const verify = new VerifyService(db, chain, verifier, { maxEvents: config.AUDIT_VERIFY_MAX_EVENTS });
  const search = buildAuditSearch({ db, logger });
  const dashboard = buildAdminDashboard({ db, redis, config, logger, auditQueue });
  const retention = new RetentionService(db, chain, checkpoints, verifier, { days: config.AUDIT_RETENTION_DAYS, now, logger });
  const checkpointTimer = new PeriodicTask('checkpoint', config.AUDIT_CHECKPOINT_INTERVAL_S * 1000, () => writer.checkpointHead(), logger);
  const maintenance = new PeriodicTask('maintenance', config.AUDIT_MAINTENANCE_INTERVAL_S * 1000, () => maintain(db, retention, now), logger);

  let worker: Worker | null = null;
  let workerConnection: ReturnType<typeof createRedis> | null = null;

  return {
    routes: (app: Express) => {
      app.use(verifyRoutes(verify));
      search.routes(app);
      dashboard.routes(app);
    },
    start: async () => {
      // Partitions first (the worker writes into them); retention runs in the background.
      await ensurePartitionsAhead(db, now());
      workerConnection = createRedis(config.REDIS_URL, 'worker');
      worker = await createTypedWorker(auditQueue, auditHandlers(batches), { connection: workerConnection, logger, concurrency: config.AUDIT_WORKER_CONCURRENCY });
      checkpointTimer.start();
      maintenance.start();
      void maintenance.runNow();
      dashboard.start();
    },
    stop: async () => {
      await worker?.close();
      await batches.idle();
      workerConnection?.disconnect();
      await Promise.all([checkpointTimer.stop(), maintenance.stop(), dashboard.stop()]);
      await auditQueue.close();
    },
    queues: [auditQueue],
    exposes: { dashboard, writer, batches, verifier, verify, retention, chain, checkpoints, auditQueue, maintenance, checkpointTimer, worker: () => worker },
  };
}
