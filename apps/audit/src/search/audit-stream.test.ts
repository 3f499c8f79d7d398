import { once } from 'node:events';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLogEntry, ErrorBody, IDENTITY_HEADER } from '@inkwell/contracts';
import { requireGatewayIdentity } from '@inkwell/auth-guard';
import { errorHandler } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { auditSearchRoutes } from './audit-search.routes';
import { AuditSearchService } from './audit-search.service';
import { AuditSearchStore } from './audit-search.store';
import { LIVE_TAIL_DEFAULTS } from './audit-stream';
import { SseClient } from './testing/sse-client';
import { startSearchHarness, type SearchHarness } from './testing/search-harness';

/* GET /api/admin/audit-logs/stream over real HTTP: events stored through the service's writer. */

let h: SearchHarness;
const open: SseClient[] = [];

beforeAll(async () => {
  h = await startSearchHarness();
});

afterAll(async () => {
  for (const c of open) c.close();
  await h.close();
});

async function connect(query = '', headers: Record<string, string> = {}): Promise<SseClient> {
  const c = await SseClient.open(`${h.service.url}/api/admin/audit-logs/stream${query}`, { [IDENTITY_HEADER]: h.as(), ...headers });
  open.push(c);
  expect(c.response.status).toBe(200);
  expect(c.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  // The first message (`retry:`) is written once the start point is fixed: anything stored after it is new.
  expect((await c.next()).retry).toBe('1000');
  return c;
}

const entryOf = (data: string | undefined) => AuditLogEntry.parse(JSON.parse(data ?? 'null'));

describe('GET /api/admin/audit-logs/stream', () => {
  it('delivers an event stored after the client connected within 1 s, with its seq as the id', async () => {
    await h.seed([{ action: 'auth.login' }]); // before connecting: not sent
    const c = await connect();
    const stored = Date.now();
    const [seq] = await h.seed([{ action: 'auth.logout', actor_id: 'u-live' }]);
    const m = await c.nextEvent(1_000);
    const latency = Date.now() - stored;
    expect(latency).toBeLessThan(1_000);
    expect(m.event).toBe('audit');
    expect(m.id).toBe(String(seq));
    expect(entryOf(m.data)).toMatchObject({ seq, action: 'auth.logout', actor: { id: 'u-live' } });
    c.close();
  });

  it('takes the search\'s filters: only matching events are sent', async () => {
    const c = await connect('?result=failure&action=auth.*');
    const seqs = await h.seed([{ action: 'auth.login' }, { action: 'auth.login', result: 'failure' }, { action: 'api.request', type: 'api', result: 'failure' }, { action: 'auth.refresh.reuse', result: 'failure' }]);
    const first = await c.nextEvent(2_000);
    const second = await c.nextEvent(2_000);
    expect([first.id, second.id]).toEqual([String(seqs[1]), String(seqs[3])]);
    expect(entryOf(second.data).action).toBe('auth.refresh.reuse');
    c.close();
  });

  it('resumes after Last-Event-ID: every event stored since, in order, none missed, none repeated, a backlog bigger than one read included', async () => {
    const c = await connect();
    const before = await h.seed(Array.from({ length: 5 }, (_, i) => ({ action: 'trainer.job.create', details: { i } })));
    const got: number[] = [];
    for (let i = 0; i < 3; i += 1) got.push(Number((await c.nextEvent(2_000)).id));
    expect(got).toEqual(before.slice(0, 3));
    // The client drops (two events may already be on the wire: it never read them), more arrive meanwhile.
    c.close();
    const during = await h.seed(Array.from({ length: LIVE_TAIL_DEFAULTS.batch * 2 + 37 }, (_, i) => ({ action: 'api.request', type: 'api' as const, details: { i } })));
    const again = await connect('', { 'last-event-id': String(got[got.length - 1]) });
    const expected = [...before.slice(3), ...during];
    const resumed: number[] = [];
    while (resumed.length < expected.length) resumed.push(Number((await again.nextEvent(5_000)).id));
    expect(resumed).toEqual(expected);
    // And then the live part: nothing repeated, the next new one follows.
    const [next] = await h.seed([{ action: 'auth.logout' }]);
    expect(Number((await again.nextEvent(2_000)).id)).toBe(next);
    again.close();
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const c = await connect('?actor=nobody-at-all');
    const m = await c.next(LIVE_TAIL_DEFAULTS.heartbeatMs + 2_000);
    expect(m.comment).toBe('keep-alive');
    c.close();
  }, 15_000);

  it('stops reading the table when the client leaves', async () => {
    // The same routes on an app of this test's own, over a service that counts its reads.
    class CountingSearch extends AuditSearchService {
      reads = 0;
      override tail(...args: Parameters<AuditSearchService['tail']>) {
        this.reads += 1;
        return super.tail(...args);
      }
    }
    const search = new CountingSearch(new AuditSearchStore(h.db));
    const logger = createLogger('audit', 'silent');
    const app = express().use(requireGatewayIdentity(h.env.env.INTERNAL_TOKEN_SECRET ?? '')).use(auditSearchRoutes(search, { logger, liveTail: { pollMs: 20 } })).use(errorHandler(logger));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const req = get(`http://127.0.0.1:${port}/api/admin/audit-logs/stream`, { agent: false, headers: { [IDENTITY_HEADER]: h.as() } });
      const res = await new Promise<IncomingMessage>((resolve, reject) => req.once('response', resolve).once('error', reject));
      expect(res.statusCode).toBe(200);
      const polling = search.reads;
      await new Promise((r) => setTimeout(r, 200));
      expect(search.reads).toBeGreaterThan(polling);
      req.destroy();
      await new Promise((r) => setTimeout(r, 200));
      const after = search.reads;
      await new Promise((r) => setTimeout(r, 300));
      expect(search.reads).toBe(after);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('400 for a Last-Event-ID that is not a seq, and for a bad filter', async () => {
    for (const [query, headers] of [['', { 'last-event-id': 'abc' }], ['?type=everything', {}], ['?limit=5', {}]] as const) {
      const res = await fetch(`${h.service.url}/api/admin/audit-logs/stream${query}`, { headers: { [IDENTITY_HEADER]: h.as(), ...headers } });
      expect(res.status).toBe(400);
      expect(ErrorBody.parse(await res.json()).code).toBe('validation_failed');
    }
  });
});
