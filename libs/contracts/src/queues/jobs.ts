import { z } from 'zod';
import { AuditEvent } from './audit-event';

/**
 * Every queue and the jobs it carries, as one table: queue name -> job name -> payload schema.
 * Producers and workers are typed from it; a worker refuses to start if a job name of its queue
 * has no handler.
 */
export const QUEUES = {
  audit: { 'audit.record': AuditEvent },
  email: {
    'email.send': z.object({ to: z.email(), subject: z.string(), text: z.string(), outbox_id: z.string() }),
  },
  gpu: {},
  cpu: {},
  batch: {},
  report: {},
} as const;

export type QueueName = keyof typeof QUEUES;
export type JobName<Q extends QueueName> = keyof (typeof QUEUES)[Q] & string;
type Schemas<Q extends QueueName> = (typeof QUEUES)[Q];
export type JobPayload<Q extends QueueName, J extends JobName<Q>> = Schemas<Q>[J] extends z.ZodType
  ? z.infer<Schemas<Q>[J]>
  : never;

/** Every job also carries who started it and the request it came from, for logs and audit. */
export const JobMeta = z.object({ request_id: z.string().nullable(), actor_id: z.string().nullable() });
export type JobMeta = z.infer<typeof JobMeta>;

/** Default job options per queue (attempts, backoff, retention). */
export const DEFAULT_JOB_OPTIONS = {
  audit: { attempts: 10, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: false },
  email: { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000, removeOnFail: false },
  gpu: { attempts: 1, removeOnComplete: 1000, removeOnFail: 5000 },
  cpu: { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  batch: { attempts: 2, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  report: { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 },
} as const satisfies Record<QueueName, object>;
