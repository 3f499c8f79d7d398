import { z } from 'zod';
import { AuditEvent, JobMeta, ModelPromoted, QUEUES, type QueueName } from '@inkwell/contracts';

/** An e-mail to one address, sent by the relay through SMTP. */
export const OutboxEmail = z.object({
  to: z.email(),
  subject: z.string().min(1),
  text: z.string(),
});
export type OutboxEmail = z.infer<typeof OutboxEmail>;

const QUEUE_NAMES = Object.keys(QUEUES) as [QueueName, ...QueueName[]];

/** The BullMQ options an outbox job may set; the rest come from the queue's defaults in contracts. */
export const OutboxJobOptions = z.object({
  /** Defaults to the outbox row id, so a relay that crashes between adding and marking re-adds the same job, which BullMQ ignores. */
  jobId: z.string().min(1).optional(),
  delay: z.number().int().nonnegative().optional(),
  priority: z.number().int().min(1).max(2_097_152).optional(),
});
export type OutboxJobOptions = z.infer<typeof OutboxJobOptions>;

/**
 * A BullMQ job for any queue of the contracts (the trainer's `gpu` jobs, for one). The payload is
 * checked against the queue's job schema when it is enqueued, and again when the relay adds it.
 */
export const OutboxJob = z.object({
  queue: z.enum(QUEUE_NAMES),
  name: z.string().min(1),
  payload: z.unknown(),
  meta: JobMeta,
  options: OutboxJobOptions.default({}),
});
export type OutboxJob = z.infer<typeof OutboxJob>;

/** Every topic an outbox row can have, with the schema its payload must match. */
export const OUTBOX_TOPICS = {
  audit: AuditEvent,
  email: OutboxEmail,
  job: OutboxJob,
  /** Published on `<prefix>:model.promoted` (Redis pub/sub): every inference replica swaps to the set. */
  'model.promoted': ModelPromoted,
} as const;

export type OutboxTopic = keyof typeof OUTBOX_TOPICS;
/** What a producer hands to `enqueue` (defaults not yet applied). */
export type OutboxInput<T extends OutboxTopic> = z.input<(typeof OUTBOX_TOPICS)[T]>;
/** What a handler receives (parsed, defaults applied). */
export type OutboxPayload<T extends OutboxTopic> = z.infer<(typeof OUTBOX_TOPICS)[T]>;

export const isOutboxTopic = (topic: string): topic is OutboxTopic => Object.hasOwn(OUTBOX_TOPICS, topic);
