import { z } from 'zod';
import { host, int, num, port } from './env-types';
import { CommonEnv } from './common';

/** The audit service: ingestion of the `audit` queue, the hash chain's checkpoints, retention. */
export const AuditEnv = CommonEnv.extend({
  AUDIT_PORT: port(8085),
  AUDIT_HOST: host(),
  /** Signs the hash chain's checkpoints (HMAC-SHA256); >= 32 chars, and the operator's own in production. */
  AUDIT_CHECKPOINT_SECRET: z.string().min(32),
  /** A signed checkpoint at least every this many events... */
  AUDIT_CHECKPOINT_EVERY: int(1000, 1),
  /** ...and at the head every this many seconds when events arrived since the last one. */
  AUDIT_CHECKPOINT_INTERVAL_S: int(300, 1),
  /** Whole monthly partitions older than this are dropped by the maintenance job. */
  AUDIT_RETENTION_DAYS: int(90, 1),
  /** How often maintenance runs (next month's partition, retention); one replica at a time. */
  AUDIT_MAINTENANCE_INTERVAL_S: int(3600, 1),
  /** `audit.record` jobs one process holds at once; they are written in shared transactions. */
  AUDIT_WORKER_CONCURRENCY: int(200, 1),
  /** Most events written in one transaction. */
  AUDIT_INGEST_BATCH: int(500, 1),
  /** Most events one `GET /api/admin/audit-logs/verify` walks; a longer range answers `next_from` to go on. */
  AUDIT_VERIFY_MAX_EVENTS: int(200_000, 1),
  /** `GET /api/admin/stats` answers from one computation this long (every poller shares it). */
  AUDIT_STATS_CACHE_MS: int(2000, 0),
  /** How often `/api/admin/stats/stream` pushes the stats. */
  AUDIT_STATS_STREAM_INTERVAL_MS: int(5000, 50),
  /** How often the platform evaluates its alert rules (infra/prometheus/alerts.rules.yml has the same rules). */
  AUDIT_ALERT_INTERVAL_MS: int(5000, 100),
  /** The `gpu` queue's waiting jobs above which `gpu_queue_full` fires. */
  AUDIT_ALERT_GPU_QUEUE_WAITING: int(50, 0),
  /** Reads refused for capacity (503) within the window above which `inference_queue_full` fires. */
  AUDIT_ALERT_INFERENCE_REFUSALS: int(10, 0),
  /** Share of API calls answered 5xx within the window above which `error_rate_high` fires... */
  AUDIT_ALERT_ERROR_RATE: num(0.05),
  /** ...once at least this many calls were made in it. */
  AUDIT_ALERT_ERROR_RATE_MIN_REQUESTS: int(20, 1),
  /** The window the rate-based rules look back over. */
  AUDIT_ALERT_WINDOW_S: int(300, 60),
});
export type AuditEnv = z.infer<typeof AuditEnv>;
