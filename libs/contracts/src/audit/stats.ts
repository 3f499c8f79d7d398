import { z } from 'zod';

/*
 * `GET /api/admin/stats` and `/api/admin/stats/stream`: the usage dashboard's numbers. Days are UTC
 * days; counts come from the audit log's rollups (see apps/audit/src/stats).
 */

const Count = z.number().int().nonnegative();

/** The read routes that take one image; every other route that reports images counts as batch. */
export const SINGLE_IMAGE_ROUTES: readonly string[] = ['/v1/read', '/api/predict'];

/** What inference records once per caller per minute instead of one audit event per image (action `inference.predictions`). */
export const PredictionAggregate = z.object({
  /** The start of the window (ISO) the counts belong to: a minute, seconds zero. */
  minute: z.iso.datetime({ offset: true }),
  /** The window's length: 60, or a divisor of it (INFERENCE_AUDIT_WINDOW_S, shorter in tests). */
  window_s: z.number().int().min(1).max(60),
  route: z.string(),
  requests: Count,
  successes: Count,
  /** Failed reads by error code. */
  errors: z.record(z.string(), Count),
});
export type PredictionAggregate = z.infer<typeof PredictionAggregate>;

export const StatsDay = z.object({
  day: z.iso.date(),
  images: Count,
  successes: Count,
  errors: Count,
  api_requests: Count,
  api_failures: Count,
  /** Signed-in users and API keys that did anything that day. */
  active_users: Count,
});
export type StatsDay = z.infer<typeof StatsDay>;

export const StatsMinute = z.object({
  minute: z.iso.datetime({ offset: true }),
  images: Count,
  errors: Count,
  api_requests: Count,
});
export type StatsMinute = z.infer<typeof StatsMinute>;

export const AdminStats = z.object({
  generated_at: z.iso.datetime({ offset: true }),
  /** Today (UTC) */
  day: z.iso.date(),
  images_processed: z.object({ single: Count, batch: Count, total: Count }),
  successes: Count,
  /** successes / images processed today; null before the first image */
  success_rate: z.number().min(0).max(1).nullable(),
  /** Failed reads today, by error code. */
  errors: z.object({ total: Count, by_code: z.record(z.string(), Count) }),
  active_users: z.object({ users: Count, api_keys: Count, total: Count }),
  /** Every API call the gateway answered today; failures by HTTP status (401, 403, 429 included). */
  api: z.object({ requests: Count, failures: Count, failures_by_status: z.record(z.string(), Count) }),
  /** API calls in the last whole minute. */
  requests_per_minute: Count,
  series: z.object({
    /** One entry per minute, oldest first, 60 entries (zeros included). */
    last_hour: z.array(StatsMinute),
    /** One entry per day, oldest first, today last (zeros included). */
    last_7_days: z.array(StatsDay),
    last_30_days: z.array(StatsDay),
  }),
});
export type AdminStats = z.infer<typeof AdminStats>;
