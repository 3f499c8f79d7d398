import { z } from 'zod';

/*
 * Reading the audit log (issue 25): `GET /api/admin/audit-logs` (a page, newest first),
 * `.../export.csv` (every match, streamed) and `.../stream` (a live tail over SSE). All three take
 * the same filters, combined with AND.
 */

export const AUDIT_EVENT_TYPES = ['api', 'user', 'system'] as const;
export const AuditEventType = z.enum(AUDIT_EVENT_TYPES);
export type AuditEventType = z.infer<typeof AuditEventType>;

export const AUDIT_PAGE_MAX = 500;

/** A sequence number in the chain, as the query string carries it. */
const Seq = z.string().regex(/^[1-9]\d{0,17}$/, 'a positive integer (an event\'s seq)');
const Text = (max: number) => z.string().trim().min(1).max(max);
const Instant = z.iso.datetime({ offset: true });

/** The filters: every one optional, all given ones must hold. */
const filterShape = {
  /** occurred_at >= from (the event's own time). */
  from: Instant.optional(),
  /** occurred_at < to. */
  to: Instant.optional(),
  /** The actor's id (user id, API key id, guest IP) or e-mail (any case). */
  actor: Text(320).optional(),
  type: AuditEventType.optional(),
  /** `auth.login` matches that action only; `auth.*` every action starting `auth.`. */
  action: z.string().regex(/^[a-z_][a-z_.]*\*?$/, 'an action (auth.login) or a prefix ending in * (auth.*)').max(200).optional(),
  resource_type: Text(100).optional(),
  resource_id: Text(200).optional(),
  result: z.enum(['success', 'failure']).optional(),
  ip: Text(64).optional(),
  /** Keyword: a case-insensitive substring of the action or of the details (3 characters or more, so the trigram index serves it). */
  q: Text(200).min(3).optional(),
};

const fromBeforeTo = (v: { from?: string | undefined; to?: string | undefined }) => v.from === undefined || v.to === undefined || Date.parse(v.from) < Date.parse(v.to);
const fromBeforeToIssue = { message: '`from` must be before `to`', path: ['to'] };

/** The filters alone: the export and the live stream take these. */
export const AuditLogFilter = z.object(filterShape).strict().refine(fromBeforeTo, fromBeforeToIssue);
export type AuditLogFilter = z.infer<typeof AuditLogFilter>;

/** The search: the filters, a page size and the cursor of the previous page. */
export const AuditLogQuery = z
  .object({
    ...filterShape,
    limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
    /** `next_cursor` of the previous page: events older than (seq below) it. */
    cursor: Seq.optional(),
  })
  .strict()
  .refine(fromBeforeTo, fromBeforeToIssue);
export type AuditLogQuery = z.infer<typeof AuditLogQuery>;

/** `Last-Event-ID` of the live stream: the seq of the last event the client received. */
export const AuditStreamResume = Seq;

/** One stored event as the admin reads it. */
export const AuditLogEntry = z.object({
  /** Its place in the hash chain; the cursor and the stream's event id. */
  seq: z.int().positive(),
  event_id: z.uuid(),
  occurred_at: z.iso.datetime({ offset: true }),
  recorded_at: z.iso.datetime({ offset: true }),
  service: z.string(),
  type: AuditEventType,
  action: z.string(),
  result: z.enum(['success', 'failure']),
  actor: z.object({ kind: z.string(), id: z.string().nullable(), email: z.string().nullable(), role: z.string().nullable() }),
  resource: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  request_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditLogEntry = z.infer<typeof AuditLogEntry>;

export const AuditLogPage = z.object({
  items: z.array(AuditLogEntry),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: Seq.nullable(),
});
export type AuditLogPage = z.infer<typeof AuditLogPage>;

/** The export's columns, in order (details as one JSON cell). */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'event_id',
  'occurred_at',
  'recorded_at',
  'service',
  'type',
  'action',
  'result',
  'actor_kind',
  'actor_id',
  'actor_email',
  'actor_role',
  'resource_type',
  'resource_id',
  'ip',
  'user_agent',
  'request_id',
  'details',
  'hash',
] as const;
export type AuditCsvColumn = (typeof AUDIT_CSV_COLUMNS)[number];
