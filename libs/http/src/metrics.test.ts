import { describe, expect, it } from 'vitest';
import { createHttpMetrics } from './metrics';

describe('createHttpMetrics', () => {
  it("gives each service of a process the process's own metrics under its own label, from one collector", async () => {
    const a = createHttpMetrics('auth');
    const b = createHttpMetrics('audit');
    const [textA, textB] = await Promise.all([a.registry.metrics(), b.registry.metrics()]);
    expect(textA).toMatch(/^process_cpu_user_seconds_total\{service="auth"\} /m);
    expect(textB).toMatch(/^process_cpu_user_seconds_total\{service="audit"\} /m);
    expect(textA).not.toContain('service="audit"');
    // One collector: both registries hold the very same metric object.
    expect(a.registry.getSingleMetric('nodejs_eventloop_lag_p99_seconds')).toBe(b.registry.getSingleMetric('nodejs_eventloop_lag_p99_seconds'));
    // The request metrics stay per service.
    expect(a.registry.getSingleMetric('http_requests_total')).not.toBe(b.registry.getSingleMetric('http_requests_total'));
  });
});
