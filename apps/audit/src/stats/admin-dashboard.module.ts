import { Queue } from 'bullmq';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { AuditEnv } from '@inkwell/config';
import type { Db } from '@inkwell/db';
import type { Logger } from '@inkwell/logger';
import type { TypedQueue } from '@inkwell/queue';
import { AlertEvaluator } from '../alerts/alert-evaluator';
import { alertRules } from '../alerts/alert-rules';
import { alertsRoutes } from '../alerts/alerts.routes';
import { statsRoutes } from './stats.routes';
import { StatsService } from './stats.service';
import { StatsStore } from './stats.store';

export interface AdminDashboardDeps {
  readonly db: Db;
  readonly redis: Redis;
  readonly config: AuditEnv;
  readonly logger: Logger;
  /** Where alert firings go, as audit events (the service's own producer). */
  readonly auditQueue: TypedQueue<'audit'>;
}

/**
 * The admin dashboard's data, ready to mount: `/api/admin/stats` (+ `/stream`) from the audit
 * log's rollups, and `/api/admin/alerts` from the alert evaluator, which `start` runs.
 */
export function buildAdminDashboard(d: AdminDashboardDeps) {
  const c = d.config;
  const store = new StatsStore(d.db);
  const stats = new StatsService(store, c.AUDIT_STATS_CACHE_MS);
  // Read only, for its depth: the trainer owns the gpu queue and works it.
  const gpuQueue = new Queue('gpu', { connection: d.redis, prefix: c.REDIS_PREFIX });
  const rules = alertRules({
    db: d.db,
    redis: d.redis,
    gpuQueue,
    stats: store,
    thresholds: {
      gpuQueueWaiting: c.AUDIT_ALERT_GPU_QUEUE_WAITING,
      inferenceRefusals: c.AUDIT_ALERT_INFERENCE_REFUSALS,
      errorRate: c.AUDIT_ALERT_ERROR_RATE,
      errorRateMinRequests: c.AUDIT_ALERT_ERROR_RATE_MIN_REQUESTS,
      windowS: c.AUDIT_ALERT_WINDOW_S,
    },
  });
  const alerts = new AlertEvaluator(rules, d.auditQueue, d.logger, c.AUDIT_ALERT_INTERVAL_MS);
  return {
    stats,
    alerts,
    routes: (app: Express): void => {
      app.use(statsRoutes({ stats, streamIntervalMs: c.AUDIT_STATS_STREAM_INTERVAL_MS, logger: d.logger }));
      app.use(alertsRoutes(alerts));
    },
    start: (): void => alerts.start(),
    stop: async (): Promise<void> => {
      await alerts.stop();
      await gpuQueue.close();
    },
  };
}
