import { z } from 'zod';

/*
 * `GET /api/admin/alerts`: what the audit service's evaluator finds (the same rules as
 * infra/prometheus/alerts.rules.yml, evaluated by the platform itself for the admin dashboard).
 */

export const ALERT_RULES = ['gpu_queue_full', 'inference_queue_full', 'error_rate_high', 'database_unreachable', 'redis_unreachable'] as const;
export const AlertRule = z.enum(ALERT_RULES);
export type AlertRule = z.infer<typeof AlertRule>;

export const Alert = z.object({
  rule: AlertRule,
  severity: z.enum(['warning', 'critical']),
  /** firing: the condition holds now; resolved: it held and no longer does. */
  state: z.enum(['firing', 'resolved']),
  summary: z.string(),
  /** The measured value that crossed the threshold (queue depth, ratio, refusals), null for a yes/no check. */
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  started_at: z.iso.datetime({ offset: true }),
  resolved_at: z.iso.datetime({ offset: true }).nullable(),
});
export type Alert = z.infer<typeof Alert>;

export const AlertsResponse = z.object({
  evaluated_at: z.iso.datetime({ offset: true }).nullable(),
  firing: z.array(Alert),
  /** Resolved alerts, newest first (a bounded history; the lasting record is the audit log's `alert.*` events). */
  recent: z.array(Alert),
});
export type AlertsResponse = z.infer<typeof AlertsResponse>;
