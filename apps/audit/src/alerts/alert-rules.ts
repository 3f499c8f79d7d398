import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Alert, AlertRule } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import type { StatsStore } from '../stats/stats.store';

/** What one evaluation of a rule finds. */
export interface Finding {
  readonly firing: boolean;
  readonly value: number | null;
  readonly summary: string;
}

export interface RuleCheck {
  readonly rule: AlertRule;
  readonly severity: Alert['severity'];
  readonly threshold: number | null;
  check(): Promise<Finding>;
}

export interface AlertThresholds {
  readonly gpuQueueWaiting: number;
  readonly inferenceRefusals: number;
  readonly errorRate: number;
  readonly errorRateMinRequests: number;
  readonly windowS: number;
}

export interface RuleDeps {
  readonly db: Db;
  readonly redis: Redis;
  /** The `gpu` queue, read only (its depth); the trainer owns and works it. */
  readonly gpuQueue: Queue;
  readonly stats: StatsStore;
  readonly thresholds: AlertThresholds;
  readonly checkTimeoutMs?: number;
}

const within = <T>(ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

const reachable = async (what: string, ping: () => Promise<unknown>, ms: number): Promise<Finding> => {
  try {
    await within(ms, ping());
    return { firing: false, value: null, summary: `${what} answers` };
  } catch (err) {
    return { firing: true, value: null, summary: `${what} unreachable: ${err instanceof Error ? err.message : String(err)}` };
  }
};

/**
 * The platform's alert rules, the same conditions as infra/prometheus/alerts.rules.yml, measured
 * from what the audit service can see: the `gpu` queue in Redis, the stats rollups (capacity
 * refusals are inference's `service_unavailable` reads; the error rate is the gateway's 5xx
 * share), and its own PostgreSQL and Redis connections.
 */
export function alertRules(d: RuleDeps): RuleCheck[] {
  const t = d.thresholds;
  const ms = d.checkTimeoutMs ?? 2000;
  const since = () => new Date(Date.now() - t.windowS * 1000);
  return [
    {
      rule: 'gpu_queue_full',
      severity: 'warning',
      threshold: t.gpuQueueWaiting,
      async check() {
        const counts = await within(ms, d.gpuQueue.getJobCounts('waiting', 'prioritized'));
        const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
        return { firing: waiting > t.gpuQueueWaiting, value: waiting, summary: `${waiting} training jobs waiting on the gpu queue (threshold ${t.gpuQueueWaiting})` };
      },
    },
    {
      rule: 'inference_queue_full',
      severity: 'warning',
      threshold: t.inferenceRefusals,
      async check() {
        const refused = await within(ms, d.stats.imageErrorsSince(since(), ['service_unavailable']));
        return { firing: refused > t.inferenceRefusals, value: refused, summary: `${refused} reads refused for capacity in the last ${t.windowS} s (threshold ${t.inferenceRefusals})` };
      },
    },
    {
      rule: 'error_rate_high',
      severity: 'critical',
      threshold: t.errorRate,
      async check() {
        const { requests, serverErrors } = await within(ms, d.stats.apiErrorsSince(since()));
        const rate = requests > 0 ? serverErrors / requests : 0;
        return { firing: requests >= t.errorRateMinRequests && rate > t.errorRate, value: rate, summary: `${serverErrors} of ${requests} API calls answered 5xx in the last ${t.windowS} s` };
      },
    },
    { rule: 'database_unreachable', severity: 'critical', threshold: null, check: () => reachable('PostgreSQL', () => d.db.raw('select 1'), ms) },
    { rule: 'redis_unreachable', severity: 'critical', threshold: null, check: () => reachable('Redis', () => d.redis.ping(), ms) },
  ];
}
