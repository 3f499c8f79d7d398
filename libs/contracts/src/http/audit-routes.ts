import { z } from 'zod';
import { AuditVerifyQuery, AuditVerifyResult } from '../audit/verify';
import { AlertsResponse } from '../audit/alerts';
import { AdminStats } from '../audit/stats';
import { AuditLogFilter, AuditLogPage, AuditLogQuery } from '../audit/search';
import { ErrorBody } from './errors';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType) => ({ description, ...(schema ? { schema } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });

/** The audit service's routes: admins only (compliance logs). */
export const AUDIT_ROUTES = defineRoutes([
  {
    method: 'get', path: '/api/admin/audit-logs/verify', service: 'audit', access: 'admin', tag: 'audit',
    summary: 'Recompute the audit log\'s hash chain over a range (`from`/`to`: a seq or an ISO time; the whole kept log by default) from the nearest signed checkpoint, and name the first event that was altered, deleted or inserted',
    query: AuditVerifyQuery,
    responses: { 200: ok('The outcome; `ok: false` names the first bad event', AuditVerifyResult), 400: err('validation_failed: a bound that is neither a seq nor an ISO time, or `from` after `to`') },
  },
  {
    method: 'get', path: '/api/admin/stats', service: 'audit', access: 'admin', tag: 'audit',
    summary: 'Usage today (UTC): images processed (single and batch), success rate, errors by code, active users and API keys, API calls and refusals by status, requests per minute; series for the last hour (per minute) and the last 7 and 30 days (per day). From the audit log\'s rollups, cached a few seconds',
    responses: { 200: ok('The statistics', AdminStats) },
  },
  {
    method: 'get', path: '/api/admin/stats/stream', service: 'audit', access: 'admin', tag: 'audit',
    summary: 'The same statistics pushed over server-sent events (`event: stats`, data: the JSON above) every AUDIT_STATS_STREAM_INTERVAL_MS (5 s)',
    responses: { 200: { description: 'An event stream; each `data:` line is the AdminStats JSON', contentType: 'text/event-stream' } },
  },
  {
    method: 'get', path: '/api/admin/alerts', service: 'audit', access: 'admin', tag: 'audit',
    summary: 'Alerts the platform evaluates every few seconds (gpu queue full, inference refusing for capacity, error rate, PostgreSQL or Redis unreachable): firing now, and recently resolved. Each firing is an `alert.fired` audit event',
    responses: { 200: ok('Firing and recent alerts', AlertsResponse) },
  },
  {
    method: 'get', path: '/api/admin/audit-logs', service: 'audit', access: 'admin', tag: 'audit',
    summary: 'Search the audit log, newest first (by seq). Filters combine with AND: `from`/`to` (the event\'s own time, to exclusive), `actor` (an id, or an e-mail in any case), `type`, `action` (exact, or a prefix ending in `*`), `resource_type`, `resource_id`, `result`, `ip`, `q` (a keyword: a substring of the action or the details, any case). `limit` up to 500; `cursor`: the previous page\'s `next_cursor`',
    query: AuditLogQuery,
    responses: { 200: ok('A page of events', AuditLogPage), 400: err('validation_failed: an unknown parameter, a bad value, `from` not before `to`, a keyword under 3 characters') },
  },
  {
    method: 'get', path: '/api/admin/audit-logs/export.csv', service: 'audit', access: 'admin', tag: 'audit',
    summary: 'Every event the filters match (the search\'s, without `limit`/`cursor`), newest first, streamed as CSV of any size: a header row, every text cell quoted, a cell a spreadsheet would run as a formula (starting = + - @ tab CR, or a quote) prefixed with `\'` (OWASP); details as one JSON cell',
    query: AuditLogFilter,
    responses: { 200: { description: 'A text/csv attachment', contentType: 'text/csv' }, 400: err('validation_failed') },
  },
  {
    method: 'get', path: '/api/admin/audit-logs/stream', service: 'audit', access: 'admin', tag: 'audit',
    summary: 'Live tail over server-sent events: each matching event as it is stored (`event: audit`, `id:` its seq, data: the JSON of a search item), the search\'s filters; from now, or after `Last-Event-ID` without a gap or a repeat; a comment every 5 s while quiet',
    query: AuditLogFilter,
    responses: { 200: { description: 'An event stream; each `data:` line is an AuditLogEntry', contentType: 'text/event-stream' }, 400: err('validation_failed: a bad filter, or a Last-Event-ID that is not a seq') },
  },
] as const);
