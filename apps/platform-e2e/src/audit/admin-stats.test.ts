import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminStats, AlertsResponse, PUBLIC_ROUTES } from '@inkwell/contracts';
import { makeBadInputs, makePhotoFixtures } from '@inkwell/imaging';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the batch ZIP comes from the inference app's own test helpers, as in batch.test.ts.
import { brokenPng, digitPngs, zipOf } from '../../../inference/src/batch/testing/batch-fixtures';
import { startPlatform, type Platform } from '../harness/platform';
import { createUser, signInAdmin, type Session } from '../harness/sessions';

let p: Platform;
let admin: Session;
let viewer: Session;
let engineer: Session;

beforeAll(async () => {
  p = await startPlatform({
    env: {
      // Short intervals so the events and the stats arrive in seconds: reads are counted per caller
      // in 1 s windows (a minute in production), API-call events are flushed every 100 ms.
      GATEWAY_AUDIT_FLUSH_MS: '100',
      INFERENCE_AUDIT_WINDOW_S: '1',
      INFERENCE_AUDIT_FLUSH_MS: '200',
      AUDIT_STATS_CACHE_MS: '0',
      AUDIT_STATS_STREAM_INTERVAL_MS: '200',
    },
  });
  admin = await signInAdmin(p);
  viewer = await createUser(p, admin, 'viewer');
  engineer = await createUser(p, admin, 'engineer');
});
afterAll(() => p.close());

const concrete = (path: string) => path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
const adminInsightRoutes = PUBLIC_ROUTES.filter((r) => r.service === 'audit' || /^\/api\/admin\/(audit-logs|stats|alerts)/.test(r.path));
let forbidden = 0;

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms (${String(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('admin statistics and alerts through the gateway', () => {
  it('viewer and engineer get 403 on every audit, stats and alerts route', async () => {
    expect(adminInsightRoutes.map((r) => r.path)).toEqual(expect.arrayContaining(['/api/admin/stats', '/api/admin/stats/stream', '/api/admin/alerts', '/api/admin/audit-logs/verify']));
    const failures: string[] = [];
    for (const s of [viewer, engineer]) {
      for (const r of adminInsightRoutes) {
        const res = await request(p.url)[r.method](concrete(r.path)).set('Authorization', `Bearer ${s.access}`);
        if (res.status === 403 && res.body.code === 'forbidden') forbidden++;
        else failures.push(`${s.email} ${r.method.toUpperCase()} ${r.path} -> ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('stats match what was done: N reads, M failures by code, K signed-in users, API refusals by status; 7- and 30-day series', async () => {
    const [good] = await makePhotoFixtures({ count: 1, seed: 5, kinds: ['clean_png'] });
    const bad = (await makeBadInputs()).find((b) => b.name === 'random_bytes');
    if (!good || !bad) throw new Error('no fixtures');
    const read = async (s: Session, img: { bytes: Uint8Array; contentType: string }) =>
      (await request(p.url).post('/v1/read').set('Authorization', `Bearer ${s.access}`).attach('file', Buffer.from(img.bytes), { filename: 'x', contentType: img.contentType })).status;
    // K = 3 signed-in users; N = 7 reads, M = 3 of them failing (invalid_image).
    const statuses = [await read(admin, good), await read(admin, good), await read(admin, bad), await read(viewer, good), await read(viewer, bad), await read(engineer, good), await read(engineer, bad)];
    expect(statuses.sort()).toEqual([200, 200, 200, 200, 400, 400, 400]);

    const auth = { Authorization: `Bearer ${admin.access}` };
    const stats = await until('stats to show the reads and refusals', 30_000, async () => {
      const res = await request(p.url).get('/api/admin/stats').set(auth);
      expect(res.status).toBe(200);
      const s = AdminStats.parse(res.body);
      return s.images_processed.total === 7 && s.api.failures_by_status['403'] === forbidden ? s : undefined;
    });
    expect(stats.images_processed).toEqual({ single: 7, batch: 0, total: 7 });
    expect(stats.successes).toBe(4);
    expect(stats.success_rate).toBeCloseTo(4 / 7);
    expect(stats.errors).toEqual({ total: 3, by_code: { invalid_image: 3 } });
    expect(stats.active_users).toEqual({ users: 3, api_keys: 0, total: 3 });
    expect(stats.api.failures_by_status['400']).toBe(3);
    expect(stats.api.requests).toBeGreaterThanOrEqual(7 + forbidden);
    expect(stats.series.last_hour).toHaveLength(60);
    expect(stats.series.last_hour.reduce((n, m) => n + m.images, 0)).toBe(7);
    expect(stats.series.last_7_days).toHaveLength(7);
    expect(stats.series.last_30_days).toHaveLength(30);
    expect(stats.series.last_30_days.at(-1)).toMatchObject({ day: stats.day, images: 7, successes: 4, errors: 3, active_users: 3 });
  });

  it('pushes the stats over SSE', async () => {
    const res = await fetch(`${p.url}/api/admin/stats/stream`, { headers: { Authorization: `Bearer ${admin.access}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    let text = '';
    while ((text.match(/event: stats/g) ?? []).length < 2) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    await reader.cancel();
    const first = /data: (.+)\n/.exec(text)?.[1] ?? '{}';
    expect(AdminStats.parse(JSON.parse(first)).images_processed.total).toBe(7);
  });

  it('lists alerts for admins (nothing firing on a healthy platform)', async () => {
    const res = await until('a first evaluation', 15_000, async () => {
      const r = await request(p.url).get('/api/admin/alerts').set('Authorization', `Bearer ${admin.access}`);
      return r.body.evaluated_at ? r : undefined;
    });
    const alerts = AlertsResponse.parse(res.body);
    expect(alerts.firing).toEqual([]);
  });

  it('counts a batch job\'s images as batch images, each once, for its owner', async () => {
    const digits = await digitPngs(3);
    const zip = await zipOf([...digits.map((d, i) => ({ name: `d${i}.png`, data: d })), { name: 'broken.png', data: brokenPng() }]);
    const created = await request(p.url).post('/api/batch').set('Authorization', `Bearer ${engineer.access}`).attach('archive', zip, { filename: 'b.zip', contentType: 'application/zip' });
    expect(created.status).toBe(202);
    const auth = { Authorization: `Bearer ${admin.access}` };
    const stats = await until('stats to show the batch', 60_000, async () => {
      const s = AdminStats.parse((await request(p.url).get('/api/admin/stats').set(auth)).body);
      return s.images_processed.batch >= 4 ? s : undefined;
    });
    // Three digits read, one refused as invalid_image; the single reads of the test above unchanged.
    expect(stats.images_processed).toEqual({ single: 7, batch: 4, total: 11 });
    expect(stats.errors.by_code).toEqual({ invalid_image: 4 });
  });
});
