import { UnrecoverableError } from 'bullmq';
import type { z } from 'zod';
import { signIdentity } from '@inkwell/auth-guard';
import { BenchmarkList, BenchmarkRecord, IDENTITY_HEADER, ModelComparisonView, ModelVersion, REQUEST_ID_HEADER, type Identity } from '@inkwell/contracts';

/**
 * How the report service signs its own calls: the gateway's secret, the least role that reads what
 * a report needs (viewer), and a name that says who it is in the trainer's logs.
 */
const REPORT_IDENTITY: Identity = { kind: 'api_key', sub: 'service:report', role: 'viewer', email: null, session_id: null, ip: '127.0.0.1', user_agent: 'inkwell-report' };

/** The trainer's answers a report is made of (`GET` routes of the public table, called directly). */
export class TrainerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {}

  compare(a: string, b: string, requestId: string): Promise<ModelComparisonView> {
    return this.get(`/api/models/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`, ModelComparisonView, requestId);
  }

  version(id: string, requestId: string): Promise<ModelVersion> {
    return this.get(`/api/models/${encodeURIComponent(id)}`, ModelVersion, requestId);
  }

  /** One benchmark with its per-engine tables (without the raw samples: a report shows their statistics). */
  benchmark(id: string, requestId: string): Promise<BenchmarkRecord> {
    return this.get(`/api/benchmarks/${encodeURIComponent(id)}`, BenchmarkRecord, requestId);
  }

  /** Every benchmark, newest first, without per-engine tables (the baseline is looked for in it). */
  benchmarks(requestId: string): Promise<BenchmarkList> {
    return this.get('/api/benchmarks', BenchmarkList, requestId);
  }

  /**
   * A 4xx (not found, not evaluated, different test sets) will not change on a retry: the job
   * fails at once with the trainer's message. A 5xx or a network error is retried (the queue's
   * attempts).
   */
  private async get<S extends z.ZodType>(path: string, schema: S, requestId: string): Promise<z.infer<S>> {
    const res = await fetch(new URL(path, this.baseUrl), {
      headers: { [IDENTITY_HEADER]: signIdentity(REPORT_IDENTITY, this.secret), [REQUEST_ID_HEADER]: requestId },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) {
      const body = await res.text().catch(() => '');
      const message = `the trainer answered ${res.status} to GET ${path.split('?')[0] ?? path}: ${body.slice(0, 300)}`;
      if (res.status >= 400 && res.status < 500) throw new UnrecoverableError(message);
      throw new Error(message);
    }
    return schema.parse(await res.json());
  }
}
