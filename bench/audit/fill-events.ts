import type { Knex } from 'knex';

/**
 * The bench's audit log: `count` events recorded evenly over the last `days` days, written by one
 * INSERT ... SELECT from generate_series (a million rows in under a minute, where the chain writer
 * would take many). Seeded, so two runs hold the same rows. The variety a real log has: ~2,000
 * users (a few very active), 300 API keys, guests, the system; API calls the bulk, sign-ins with
 * failures, trainer and inference events; ~5,000 IPs; details with routes, statuses, reasons and
 * words a keyword search finds; one event in a thousand arriving up to three days late. The hash
 * columns hold filler: search never reads them (verify would fail on these rows, by design).
 */

/** action, service, weight, resource type. */
const ACTIONS: readonly (readonly [string, string, number, string | null])[] = [
  ['api.request', 'gateway', 0.55, 'route'],
  ['auth.login', 'auth', 0.1, 'user'],
  ['auth.logout', 'auth', 0.04, 'user'],
  ['auth.refresh', 'auth', 0.08, 'user'],
  ['auth.refresh.reuse', 'auth', 0.002, 'user'],
  ['auth.password.change', 'auth', 0.005, 'user'],
  ['auth.user.create', 'auth', 0.003, 'user'],
  ['auth.api_key.create', 'auth', 0.003, 'api_key'],
  ['inference.predictions', 'inference', 0.12, 'route'],
  ['inference.model.swap', 'inference', 0.001, 'model'],
  ['trainer.dataset.upload', 'trainer', 0.02, 'dataset'],
  ['trainer.dataset.delete', 'trainer', 0.004, 'dataset'],
  ['trainer.job.create', 'trainer', 0.03, 'job'],
  ['trainer.job.cancel', 'trainer', 0.005, 'job'],
  ['trainer.model.promote', 'trainer', 0.003, 'model'],
  ['report.batch.create', 'report', 0.015, 'batch'],
  ['alerts.fire', 'audit', 0.002, 'alert'],
];

/** Words in the details: a keyword search for one finds ~1 event in 40 of those that carry a note. */
export const NOTE_WORDS = [
  'alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'november',
  'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango', 'uniform', 'victor', 'whiskey', 'xray', 'yankee', 'zulu', 'amber', 'cobalt',
  'crimson', 'emerald', 'indigo', 'jade', 'magenta', 'ochre', 'scarlet', 'teal', 'umber', 'violet', 'saffron', 'zebra',
] as const;

const ROUTES = ['POST /api/predict', 'POST /api/predict/batch', 'GET /api/models', 'GET /api/jobs', 'POST /api/models/train', 'GET /api/datasets', 'POST /api/datasets', 'GET /api/me', 'GET /api/admin/stats', 'GET /api/admin/audit-logs', 'POST /api/auth/login', 'GET /api/training-history'];
const AGENTS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Safari/605.1.15', 'curl/8.5.0', 'python-requests/2.32.3', 'inkwell-cli/1.4.0', 'k6/0.54.0'];

const sqlText = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const sqlArray = (xs: readonly string[]): string => `array[${xs.map(sqlText).join(', ')}]::text[]`;

export async function fillEvents(db: Knex, opts: { readonly count: number; readonly days: number; readonly end: Date }): Promise<void> {
  const total = ACTIONS.reduce((s, a) => s + a[2], 0);
  let lo = 0;
  const actionRows = ACTIONS.map(([action, service, weight, rtype]) => {
    const hi = lo + weight / total;
    const row = `(${sqlText(action)}, ${sqlText(service)}, ${lo}, ${action === ACTIONS[ACTIONS.length - 1]?.[0] ? 1.01 : hi}, ${rtype === null ? 'null' : sqlText(rtype)})`;
    lo = hi;
    return row;
  });
  const start = new Date(opts.end.getTime() - opts.days * 86_400_000);
  await db.transaction(async (trx) => {
    // random() below is this session's generator: seeded, the same rows every run.
    await trx.raw('select setseed(0.4242)');
    await trx.raw(
      `
      with actions(action, service, lo, hi, rtype) as (values ${actionRows.join(', ')}),
      base as (
        select g, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6, random() as r7
          from generate_series(1, ?::int) g
      )
      insert into events (seq, event_id, occurred_at, recorded_at, service, type, action, result, actor_kind, actor_id, actor_email, actor_role,
                          resource_type, resource_id, ip, user_agent, request_id, details, prev_hash, hash)
      select b.g,
             -- An RFC 4122 version-4 shape (the version and variant digits set), as AuditEvent ids are.
             overlay(overlay(md5('event' || b.g) placing '4' from 13) placing '8' from 17)::uuid,
             t.rec - case when b.r7 < 0.001 then interval '3 days' * b.r6 else interval '2 seconds' * b.r6 end,
             t.rec,
             a.service,
             case when a.action like 'api.%' then 'api' when who.kind = 'system' then 'system' else 'user' end,
             a.action,
             case when b.r5 < (case when a.action = 'auth.login' then 0.15 when a.action = 'api.request' then 0.06 else 0.02 end) then 'failure' else 'success' end,
             who.kind,
             case who.kind when 'user' then 'u-' || lpad(who.n::text, 5, '0') when 'api_key' then 'key-' || (who.n % 300) when 'guest' then net.ip end,
             case when who.kind = 'user' then 'user' || who.n || '@example.com' end,
             case when who.kind = 'user' then (case when who.n % 10 = 0 then 'admin' when who.n % 10 < 4 then 'engineer' else 'viewer' end)
                  when who.kind = 'api_key' then 'viewer' end,
             a.rtype,
             case a.rtype when 'route' then net.route when 'user' then 'u-' || lpad(who.n::text, 5, '0') when 'dataset' then 'ds-' || (b.g % 500)
                          when 'model' then 'model-' || (b.g % 40) when 'job' then 'job-' || (b.g % 5000) when 'batch' then 'batch-' || (b.g % 3000)
                          when 'api_key' then 'key-' || (b.g % 300) when 'alert' then 'gpu_queue_full' end,
             case when who.kind = 'system' then null else net.ip end,
             case when who.kind = 'system' then null else (${sqlArray(AGENTS)})[1 + floor(b.r4 * ${AGENTS.length})::int] end,
             'req-' || substr(md5('req' || b.g), 1, 16),
             case
               when a.action in ('api.request', 'inference.predictions') then jsonb_build_object('route', net.route, 'status', case when b.r5 < 0.06 then 403 else 200 end, 'duration_ms', floor(b.r6 * 400)::int)
               when a.action = 'auth.login' and b.r5 < 0.15 then jsonb_build_object('reason', case when b.r6 < 0.8 then 'bad_password' else 'locked' end)
               when a.action = 'auth.login' then jsonb_build_object('method', case when b.r6 < 0.9 then 'password' else 'api_key' end)
               else jsonb_build_object('note', 'ticket ' || (${sqlArray(NOTE_WORDS)})[1 + floor(b.r6 * ${NOTE_WORDS.length})::int] || ' ' || (b.g % 997), 'by', who.kind)
             end,
             md5('prev' || b.g) || md5('prev2' || b.g),
             md5('hash' || b.g) || md5('hash2' || b.g)
        from base b
        cross join lateral (select ?::timestamptz + (b.g::float8 / ?::int) * ?::float8 * interval '1 second' as rec) t
        join actions a on b.r1 >= a.lo and b.r1 < a.hi
        cross join lateral (
          select case when a.action in ('inference.model.swap', 'alerts.fire') then 'system' when b.r2 < 0.15 then 'api_key' when b.r2 < 0.2 then 'guest' else 'user' end as kind,
                 floor(2000 * power(b.r3, 2))::int as n
        ) who
        cross join lateral (
          select '10.' || (h % 20) || '.' || ((h / 20) % 250) || '.' || (1 + h % 7) as ip,
                 (${sqlArray(ROUTES)})[1 + floor(b.r6 * ${ROUTES.length})::int] as route
            from (select case when who.kind = 'user' then who.n * 2 + floor(b.r4 * 2)::int else floor(b.r4 * 5000)::int end as h) hh
        ) net`,
      [opts.count, start.toISOString(), opts.count, opts.days * 86_400],
    );
    // The chain head where the writer would have left it, so the running service's timers see a consistent log.
    await trx.raw(`update chain_head set seq = ?, hash = (select hash from events where seq = ?), recorded_at = (select max(recorded_at) from events)`, [opts.count, opts.count]);
  });
}
