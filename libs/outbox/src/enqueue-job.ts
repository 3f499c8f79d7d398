import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { QUEUES, type JobMeta, type JobName, type JobPayload, type QueueName } from '@inkwell/contracts';
import type { z } from 'zod';
import { enqueue } from './outbox.store';
import type { OutboxJobOptions } from './outbox-topics';

/**
 * Writes a BullMQ job for `queue` into the outbox, in the caller's transaction; the relay adds it
 * to the queue once the transaction has committed. Typed and validated by the contracts' job table.
 * Returns the BullMQ job id (the outbox row id unless `options.jobId` names one).
 */
export async function enqueueJob<Q extends QueueName, J extends JobName<Q>>(
  trx: Knex,
  queue: Q,
  name: J,
  payload: JobPayload<Q, J>,
  meta: JobMeta,
  options: OutboxJobOptions = {},
): Promise<string> {
  const schema = (QUEUES[queue] as Readonly<Record<string, z.ZodType>>)[name];
  if (!schema) throw new Error(`queue ${queue} has no job ${name}`);
  const id = randomUUID();
  const jobId = options.jobId ?? id;
  await enqueue(trx, 'job', { queue, name, payload: schema.parse(payload), meta, options: { ...options, jobId } }, id);
  return jobId;
}
