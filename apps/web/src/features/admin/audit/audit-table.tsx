import type { AuditLogEntry } from '@inkwell/contracts';
import { t, type MessageKey } from '../../../i18n/i18n';
import { Badge } from '../../../ui/feedback';
import { Table, Td, Th } from '../../../ui/table';

function actorLabel(actor: AuditLogEntry['actor']): string {
  if (actor.email) return actor.email;
  if (actor.id) return actor.id;
  if (actor.kind === 'guest') return t('audit.actorGuest');
  if (actor.kind === 'system') return t('audit.actorSystem');
  return actor.kind;
}

const none = (v: string | null | undefined): string => v || t('state.none');

/** The whole event, behind a disclosure: ids, where it came from, and its details as JSON. */
function EventDetails({ e }: { readonly e: AuditLogEntry }) {
  const facts: [MessageKey, string][] = [
    ['audit.field.seq', String(e.seq)],
    ['audit.field.eventId', e.event_id],
    ['audit.field.service', e.service],
    ['audit.field.type', e.type],
    ['audit.field.actor', `${e.actor.kind}${e.actor.role ? ` (${e.actor.role})` : ''}: ${none(e.actor.id)}`],
    ['audit.field.recordedAt', e.recorded_at],
    ['audit.field.requestId', none(e.request_id)],
    ['audit.field.userAgent', none(e.user_agent)],
  ];
  return (
    <details>
      <summary className="cursor-pointer font-medium text-blue-800 focus-visible:outline-2 focus-visible:outline-blue-700">{t('audit.detailsToggle')}</summary>
      <div className="mt-2 w-72 max-w-[70vw] text-xs sm:w-96">
        <dl className="grid grid-cols-[auto_1fr] gap-x-2">
          {facts.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-semibold">{t(k)}</dt>
              <dd className="break-all">{v}</dd>
            </div>
          ))}
        </dl>
        <pre className="mt-2 rounded bg-slate-100 p-2 break-all whitespace-pre-wrap">{JSON.stringify(e.details, null, 2)}</pre>
      </div>
    </details>
  );
}

/** The events found (and those the live tail added, highlighted), newest first. */
export function AuditTable({ rows, fresh }: { readonly rows: readonly AuditLogEntry[]; readonly fresh: ReadonlySet<number> }) {
  return (
    <Table caption={t('audit.results')}>
      <thead>
        <tr>
          <Th>{t('audit.col.time')}</Th>
          <Th>{t('audit.col.actor')}</Th>
          <Th>{t('audit.col.action')}</Th>
          <Th>{t('audit.col.resource')}</Th>
          <Th>{t('audit.col.result')}</Th>
          <Th>{t('audit.col.ip')}</Th>
          <Th>{t('audit.col.details')}</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <tr key={e.seq} data-seq={e.seq} className={fresh.has(e.seq) ? 'bg-amber-50' : undefined}>
            <Td className="whitespace-nowrap">
              <time dateTime={e.occurred_at}>{new Date(e.occurred_at).toLocaleString()}</time>
              {fresh.has(e.seq) ? (
                <span className="ml-2">
                  <Badge tone="info">{t('audit.new')}</Badge>
                </span>
              ) : null}
            </Td>
            <Td className="min-w-48 break-all">{actorLabel(e.actor)}</Td>
            <Td className="whitespace-nowrap">
              <code>{e.action}</code>
            </Td>
            <Td className="min-w-48 break-all">{e.resource ? `${e.resource.type}${e.resource.id ? ` ${e.resource.id}` : ''}` : t('state.none')}</Td>
            <Td>
              <Badge tone={e.result === 'success' ? 'good' : 'bad'}>{t(e.result === 'success' ? 'audit.result.success' : 'audit.result.failure')}</Badge>
            </Td>
            <Td className="whitespace-nowrap">{none(e.ip)}</Td>
            <Td>
              <EventDetails e={e} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
