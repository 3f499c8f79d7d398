import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLogPage, ErrorBody, IDENTITY_HEADER } from '@inkwell/contracts';
import type { SeedEvent } from './testing/seed-events';
import { startSearchHarness, type SearchHarness } from './testing/search-harness';

/*
 * GET /api/admin/audit-logs against events written straight to the test's own table: each filter
 * alone, several together, the keyword, the cursor, and what it refuses.
 */

const alice = { actor_kind: 'user', actor_id: 'u1', actor_email: 'alice@example.com', actor_role: 'admin' };
const carol = { actor_kind: 'user', actor_id: 'u2', actor_email: 'carol@example.com', actor_role: 'engineer' };

// Seeded in this order (seq 1..8). e7 arrived late: its own time is the oldest, its seq the newest but one.
const EVENTS: Record<string, SeedEvent> = {
  e1: { ...alice, action: 'auth.login', occurred_at: '2026-11-01T10:00:00Z', ip: '10.0.0.1', details: { method: 'password' } },
  e2: { actor_kind: 'guest', actor_id: '10.0.0.2', actor_email: 'bob@example.com', action: 'auth.login', result: 'failure', occurred_at: '2026-11-02T10:00:00Z', ip: '10.0.0.2', details: { reason: 'bad_password' } },
  e3: { ...alice, service: 'gateway', type: 'api', action: 'api.request', occurred_at: '2026-11-03T10:00:00Z', ip: '10.0.0.1', resource_type: 'route', resource_id: 'POST /api/predict', details: { status: 200, route: '/api/Predict' } },
  e4: { actor_kind: 'api_key', actor_id: 'k1', service: 'gateway', type: 'api', action: 'api.request', result: 'failure', occurred_at: '2026-11-04T10:00:00Z', ip: '10.0.0.3', details: { status: 403, reason: 'forbidden' } },
  e5: { ...carol, service: 'trainer', action: 'trainer.dataset.delete', occurred_at: '2026-11-05T10:00:00Z', ip: '10.0.0.4', resource_type: 'dataset', resource_id: 'd1', details: { name: 'digits 50%_off' } },
  e6: { actor_kind: 'system', service: 'inference', type: 'system', action: 'inference.model.swap', occurred_at: '2026-11-06T10:00:00Z', resource_type: 'model', resource_id: 'm1', details: { from: 'a', to: 'b' } },
  e7: { ...alice, action: 'auth.password.change', occurred_at: '2026-10-20T10:00:00Z', ip: '10.0.0.1', resource_type: 'user', resource_id: 'u1' },
  e8: { ...carol, action: 'auth.logout', occurred_at: '2026-11-07T10:00:00Z', ip: '10.0.0.4' },
};

let h: SearchHarness;
const nameOf = new Map<number, string>();

beforeAll(async () => {
  h = await startSearchHarness();
  const seqs = await h.seed(Object.values(EVENTS));
  Object.keys(EVENTS).forEach((name, i) => nameOf.set(seqs[i] ?? 0, name));
});

afterAll(async () => {
  await h.close();
});

const get = (query: Record<string, string | number>, role: 'admin' | 'engineer' | 'viewer' = 'admin') => request(h.service.app).get('/api/admin/audit-logs').query(query).set(IDENTITY_HEADER, h.as(role));

/** The names of the events a search answers, in its order. */
async function names(query: Record<string, string | number>): Promise<string[]> {
  const res = await get(query).expect(200);
  return AuditLogPage.parse(res.body).items.map((e) => nameOf.get(e.seq) ?? `unknown seq ${e.seq}`);
}

describe('GET /api/admin/audit-logs', () => {
  it('without filters: every event, newest first by seq (an event that arrived late is new, whatever its own time)', async () => {
    expect(await names({})).toEqual(['e8', 'e7', 'e6', 'e5', 'e4', 'e3', 'e2', 'e1']);
  });

  it('one entry carries time, actor, type, action, resource, result, IP, request id and details', async () => {
    const page = AuditLogPage.parse((await get({ resource_type: 'dataset' }).expect(200)).body);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ occurred_at: '2026-11-05T10:00:00.000Z', service: 'trainer', type: 'user', action: 'trainer.dataset.delete', result: 'success', actor: { kind: 'user', id: 'u2', email: 'carol@example.com', role: 'engineer' }, resource: { type: 'dataset', id: 'd1' }, ip: '10.0.0.4', details: { name: 'digits 50%_off' } });
    expect(page.next_cursor).toBeNull();
  });

  it('from/to: the event\'s own time, from inclusive, to exclusive', async () => {
    expect(await names({ from: '2026-11-02T10:00:00Z', to: '2026-11-05T10:00:00Z' })).toEqual(['e4', 'e3', 'e2']);
    expect(await names({ to: '2026-11-01T10:00:00Z' })).toEqual(['e7']);
    expect(await names({ from: '2026-11-06T00:00:00+01:00' })).toEqual(['e8', 'e6']);
  });

  it('actor: by id, or by e-mail in any case', async () => {
    expect(await names({ actor: 'u1' })).toEqual(['e7', 'e3', 'e1']);
    expect(await names({ actor: 'ALICE@example.com' })).toEqual(['e7', 'e3', 'e1']);
    expect(await names({ actor: 'k1' })).toEqual(['e4']);
    expect(await names({ actor: 'nobody@example.com' })).toEqual([]);
  });

  it('type: api, user or system', async () => {
    expect(await names({ type: 'api' })).toEqual(['e4', 'e3']);
    expect(await names({ type: 'system' })).toEqual(['e6']);
    expect(await names({ type: 'user' })).toEqual(['e8', 'e7', 'e5', 'e2', 'e1']);
  });

  it('action: exact, or a prefix ending in * (where _ is a plain character)', async () => {
    expect(await names({ action: 'auth.login' })).toEqual(['e2', 'e1']);
    expect(await names({ action: 'auth.*' })).toEqual(['e8', 'e7', 'e2', 'e1']);
    expect(await names({ action: 'auth.log*' })).toEqual(['e8', 'e2', 'e1']);
    expect(await names({ action: 'auth.pass_*' })).toEqual([]);
    expect(await names({ action: 'auth' })).toEqual([]);
  });

  it('resource: its type, its id, or both', async () => {
    expect(await names({ resource_type: 'model' })).toEqual(['e6']);
    expect(await names({ resource_id: 'u1' })).toEqual(['e7']);
    expect(await names({ resource_type: 'model', resource_id: 'm1' })).toEqual(['e6']);
    expect(await names({ resource_type: 'dataset', resource_id: 'm1' })).toEqual([]);
  });

  it('result and IP', async () => {
    expect(await names({ result: 'failure' })).toEqual(['e4', 'e2']);
    expect(await names({ result: 'success' })).toEqual(['e8', 'e7', 'e6', 'e5', 'e3', 'e1']);
    expect(await names({ ip: '10.0.0.4' })).toEqual(['e8', 'e5']);
  });

  it('q: a keyword found in the action or the details, any case; % and _ are plain characters', async () => {
    expect(await names({ q: 'bad_password' })).toEqual(['e2']);
    expect(await names({ q: 'predict' })).toEqual(['e3']);
    expect(await names({ q: 'swap' })).toEqual(['e6']);
    expect(await names({ q: 'login' })).toEqual(['e2', 'e1']);
    expect(await names({ q: '50%_off' })).toEqual(['e5']);
    expect(await names({ q: 'bad%word' })).toEqual([]);
    expect(await names({ q: 'bad_pass_ord' })).toEqual([]);
  });

  it('filters combine: every one given must hold', async () => {
    expect(await names({ actor: 'u1', type: 'api', result: 'success', ip: '10.0.0.1', from: '2026-11-01T00:00:00Z' })).toEqual(['e3']);
    expect(await names({ actor: 'alice@example.com', action: 'auth.*' })).toEqual(['e7', 'e1']);
    expect(await names({ actor: 'alice@example.com', action: 'auth.*', from: '2026-10-25T00:00:00Z' })).toEqual(['e1']);
    expect(await names({ type: 'api', result: 'failure', q: 'forbidden' })).toEqual(['e4']);
    expect(await names({ type: 'api', result: 'failure', q: 'predict' })).toEqual([]);
    expect(await names({ ip: '10.0.0.4', resource_type: 'dataset', actor: 'u2', q: 'digits' })).toEqual(['e5']);
  });

  it('cursor: pages of `limit`, newest first, each after the last, none repeated, the last without a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string | number> = { limit: 3, ...(cursor === null ? {} : { cursor }) };
      const page = AuditLogPage.parse((await get(query).expect(200)).body);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((e) => nameOf.get(e.seq) ?? ''));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(['e8', 'e7', 'e6', 'e5', 'e4', 'e3', 'e2', 'e1']);
    // A cursor with a filter: the older matches only.
    const first = AuditLogPage.parse((await get({ actor: 'u1', limit: 1 }).expect(200)).body);
    expect(first.next_cursor).not.toBeNull();
    expect(await names({ actor: 'u1', cursor: first.next_cursor ?? '' })).toEqual(['e3', 'e1']);
  });

  it.each([
    ['limit above 500', { limit: 501 }],
    ['limit 0', { limit: 0 }],
    ['a cursor that is not a seq', { cursor: 'abc' }],
    ['an unknown type', { type: 'admin' }],
    ['an unknown result', { result: 'ok' }],
    ['a time without an offset', { from: '2026-11-01 10:00' }],
    ['from after to', { from: '2026-11-05T00:00:00Z', to: '2026-11-01T00:00:00Z' }],
    ['a keyword under 3 characters', { q: 'ab' }],
    ['an action that is no action', { action: 'Auth%' }],
    ['an unknown parameter', { user: 'u1' }],
  ])('400 validation_failed for %s', async (_what, query) => {
    const res = await get(query).expect(400);
    expect(ErrorBody.parse(res.body).code).toBe('validation_failed');
  });

  it('admin only: an engineer and a viewer get 403 on the search, the export and the stream', async () => {
    for (const role of ['engineer', 'viewer'] as const) {
      for (const path of ['/api/admin/audit-logs', '/api/admin/audit-logs/export.csv', '/api/admin/audit-logs/stream']) {
        const res = await request(h.service.app).get(path).set(IDENTITY_HEADER, h.as(role)).expect(403);
        expect(ErrorBody.parse(res.body).code).toBe('forbidden');
      }
    }
  });
});
