import { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '@inkwell/logger';

/** The name the Grafana queue panels query (infra/grafana/dashboards/inkwell-services.json). */
export const QUEUE_JOBS_METRIC = 'bullmq_queue_jobs';
/** The states a queue's depth is reported in; completed jobs are history, not depth. */
export const QUEUE_DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

/**
 * Exports `bullmq_queue_jobs{queue,state}` for the queues a service owns, counted in Redis on each
 * scrape (so every replica reports the same numbers; the dashboard takes the max). A queue whose
 * counts cannot be read is left out of that scrape instead of failing the whole /metrics answer.
 * Call once per registry.
 */
export function registerQueueMetrics(registry: Registry, queues: ReadonlyArray<Queue | { readonly queue: Queue }>, logger?: Logger): Gauge<'queue' | 'state'> {
  const owned: Queue[] = queues.map((q) => (q instanceof Queue ? q : q.queue));
  return new Gauge({
    name: QUEUE_JOBS_METRIC,
    help: 'BullMQ jobs by queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const read = await Promise.all(
        owned.map(async (queue) => {
          try {
            return { queue: queue.name, counts: await queue.getJobCounts(...QUEUE_DEPTH_STATES) };
          } catch (err) {
            logger?.warn({ err, queue: queue.name }, 'queue depth could not be read');
            return { queue: queue.name, counts: undefined };
          }
        }),
      );
      this.reset();
      for (const { queue, counts } of read) {
        if (!counts) continue;
        for (const state of QUEUE_DEPTH_STATES) this.set({ queue, state }, counts[state] ?? 0);
      }
    },
  });
}
