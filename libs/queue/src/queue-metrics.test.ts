import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processEnv } from '@inkwell/config';
import { createLogger } from '@inkwell/logger';
import { createQueueSandbox, type QueueSandbox } from './queue-sandbox';
import { QUEUE_JOBS_METRIC, registerQueueMetrics } from './queue-metrics';
import { createTypedWorker } from './typed-worker';

let q: QueueSandbox;
beforeAll(() => {
  q = createQueueSandbox(processEnv().REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(() => q.cleanup());

/** What a scrape says: `queue/state` -> value. */
async function scrape(registry: Registry): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === QUEUE_JOBS_METRIC);
  return Object.fromEntries((metric?.values ?? []).map((v) => [`${String(v.labels.queue)}/${String(v.labels.state)}`, v.value]));
}

describe('queue depth metrics', () => {
  it('shows a waiting job on the next scrape, and no longer once it has completed', async () => {
    const registry = new Registry();
    registerQueueMetrics(registry, [q.queue('cpu'), q.queue('gpu').queue]);

    expect(await scrape(registry)).toEqual({
      'cpu/waiting': 0, 'cpu/active': 0, 'cpu/delayed': 0, 'cpu/failed': 0, 'cpu/prioritized': 0,
      'gpu/waiting': 0, 'gpu/active': 0, 'gpu/delayed': 0, 'gpu/failed': 0, 'gpu/prioritized': 0,
    });

    const waiting = await q.queue('cpu').add('validate-dataset', { dataset_id: 'd1', request_id: null }, { request_id: null, actor_id: null });
    const urgent = await q.queue('cpu').add('validate-dataset', { dataset_id: 'd2', request_id: null }, { request_id: null, actor_id: null }, { priority: 1 });
    expect(await scrape(registry)).toMatchObject({ 'cpu/waiting': 1, 'cpu/prioritized': 1, 'cpu/active': 0, 'gpu/waiting': 0 });
    expect((await registry.metrics()).split('\n')).toContain(`${QUEUE_JOBS_METRIC}{queue="cpu",state="waiting"} 1`);

    q.track(
      await createTypedWorker(
        q.queue('cpu'),
        {
          'validate-dataset': async (p) => ({ dataset_id: p.dataset_id, valid: true, items: 1, problems: 0, problems_by_kind: {} }),
          'evaluate-model': async (p) => ({ model_version_id: p.model_version_id, status: 'skipped' as const, accuracy: null }),
        },
        { connection: q.connection, logger: createLogger('queue-test', 'silent') },
      ),
    );
    await q.waitForJob('cpu', String(waiting.id));
    await q.waitForJob('cpu', String(urgent.id));
    expect(await scrape(registry)).toMatchObject({ 'cpu/waiting': 0, 'cpu/prioritized': 0, 'cpu/active': 0, 'cpu/failed': 0 });
  });
});
