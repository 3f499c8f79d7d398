import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, IDENTITY_HEADER, ReportList } from '@inkwell/contracts';
import { signIdentity } from '@inkwell/auth-guard';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { reportService } from '../service';
import { reportIdOf } from './report-id';

/*
 * GET /api/reports?id= and ?subject=: a page follows one report by a lookup, so a report requested
 * before the newest 100 is still found (the list alone would lose it).
 */

let env: TestEnv;
let service: Awaited<ReturnType<typeof startService<typeof reportService.env, ReturnType<typeof reportService.build>>>>;
let viewer: string;
const benchmarks = Array.from({ length: 101 }, () => randomUUID());
const [a, b] = [randomUUID(), randomUUID()];
const oldest = benchmarks[0] ?? '';

beforeAll(async () => {
  env = await createTestEnv();
  service = await startService(reportService, { env: env.env, logger: createLogger('report', 'silent'), poolMax: 2 });
  viewer = signIdentity({ kind: 'user', sub: 'viewer-user', role: 'viewer', email: 'viewer@test', session_id: null, ip: '127.0.0.1', user_agent: null }, env.env.INTERNAL_TOKEN_SECRET ?? '');
  // Straight to the store (no render job): the oldest benchmark's report first, then 100 newer ones and a comparison.
  const t0 = Date.parse('2026-12-01T00:00:00Z');
  for (const [i, id] of benchmarks.entries()) {
    await service.exposes.store.request({ id: reportIdOf({ kind: 'benchmark', benchmark_id: id }), kind: 'benchmark', subject_ids: [id], requested_by: null, now: new Date(t0 + i * 1000) });
  }
  await service.exposes.store.request({ id: reportIdOf({ kind: 'comparison', a, b }), kind: 'comparison', subject_ids: [a, b], requested_by: null, now: new Date(t0 + 200_000) });
}, 60_000);

afterAll(async () => {
  await service.close();
  await env.cleanup();
});

const list = (query: Record<string, string | number>) => request(service.app).get('/api/reports').query(query).set(IDENTITY_HEADER, viewer);

describe('GET /api/reports lookups', () => {
  it('the plain list (limit 100) no longer holds the oldest report', async () => {
    const res = ReportList.parse((await list({ limit: 100 }).expect(200)).body);
    expect(res.reports).toHaveLength(100);
    expect(res.reports.some((r) => r.subject_ids[0] === oldest)).toBe(false);
  });

  it('id answers that one report, however old', async () => {
    const id = reportIdOf({ kind: 'benchmark', benchmark_id: oldest });
    const res = ReportList.parse((await list({ id, limit: 1 }).expect(200)).body);
    expect(res.reports.map((r) => [r.id, r.status, r.subject_ids])).toEqual([[id, 'queued', [oldest]]]);
  });

  it('subject answers the report on exactly those subjects, in order', async () => {
    const one = ReportList.parse((await list({ kind: 'benchmark', subject: oldest, limit: 1 }).expect(200)).body);
    expect(one.reports.map((r) => r.id)).toEqual([reportIdOf({ kind: 'benchmark', benchmark_id: oldest })]);
    const pair = ReportList.parse((await list({ kind: 'comparison', subject: `${a},${b}`, limit: 1 }).expect(200)).body);
    expect(pair.reports.map((r) => r.id)).toEqual([reportIdOf({ kind: 'comparison', a, b })]);
    // B against A is another report: nobody asked for it.
    expect(ReportList.parse((await list({ subject: `${b},${a}` }).expect(200)).body).reports).toEqual([]);
    expect(ReportList.parse((await list({ id: randomUUID() }).expect(200)).body).reports).toEqual([]);
  });

  it('refuses a subject or id that is not a uuid with validation_failed', async () => {
    const refused: Record<string, string>[] = [{ subject: 'nope' }, { subject: `${a},${b},${oldest}` }, { id: '12' }];
    for (const query of refused) {
      const res = await list(query).expect(400);
      expect(ErrorBody.parse(res.body).code).toBe('validation_failed');
    }
  });
});
