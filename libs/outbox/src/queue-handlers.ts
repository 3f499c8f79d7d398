import type { JobName, JobPayload, QueueName } from '@inkwell/contracts';
import type { TypedQueue } from '@inkwell/queue';
import type { TopicHandler } from './topic-handler';

/** `audit` rows become `audit.record` jobs whose id is the event id, so a re-add after a crash is ignored. */
export function auditToQueue(queue: TypedQueue<'audit'>): TopicHandler<'audit'> {
  return {
    async deliver(event) {
      await queue.add('audit.record', event, { request_id: event.request_id, actor_id: event.actor.id }, { jobId: event.id });
    },
  };
}

/**
 * `job` rows become jobs on the queue they name. A row for a queue this service has no producer
 * for fails (and is retried) rather than vanishing: it was written by this service's own code.
 */
export function jobsToQueues(queues: readonly TypedQueue<QueueName>[]): TopicHandler<'job'> {
  const byName = new Map<string, TypedQueue<QueueName>>(queues.map((q) => [q.name, q]));
  return {
    async deliver(job, rowId) {
      const queue = byName.get(job.queue);
      if (!queue) throw new Error(`no producer for queue ${job.queue} in this service`);
      // The name and payload were checked against the contracts when enqueued, and `add` checks
      // them again; the casts only bridge the row's runtime queue name to the static job table.
      await queue.add(job.name as JobName<QueueName>, job.payload as JobPayload<QueueName, JobName<QueueName>>, job.meta, {
        ...job.options,
        jobId: job.options.jobId ?? rowId,
      });
    },
  };
}
