import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link } from 'wouter';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Card } from '../../ui/card';
import { Badge, EmptyState, ErrorPanel, Loading } from '../../ui/feedback';
import { Table, Td, Th, Tr } from '../../ui/table';
import { formatPct, formatWhen, shortId } from '../training/training-queries';
import { fetchStudies, isStudyFinished, methodWord, STUDY_STATUS_TONE, statusWord, studiesKey } from './tuning-queries';

/** While a study runs the list asks again this often (its page has the live view). */
const ACTIVE_REFRESH_MS = 5_000;

export function StudiesList() {
  const id = useId();
  const studies = useQuery({
    queryKey: studiesKey,
    queryFn: ({ signal }) => fetchStudies(signal),
    refetchInterval: (q) => (q.state.data?.some((s) => !isStudyFinished(s.status)) ? ACTIVE_REFRESH_MS : false),
  });
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
        {t('tuning.list.title')}
      </h2>
      {studies.isPending ? (
        <Loading label={t('tuning.list.loading')} />
      ) : studies.isError ? (
        <ErrorPanel message={errorMessage(studies.error)} onRetry={() => void studies.refetch()} />
      ) : studies.data.length === 0 ? (
        <EmptyState message={t('tuning.list.empty')} />
      ) : (
        <Table caption={t('tuning.list.caption')} className="max-h-[28rem] overflow-y-auto">
          <thead>
            <tr>
              <Th>{t('tuning.col.study')}</Th>
              <Th>{t('tuning.col.family')}</Th>
              <Th>{t('tuning.col.method')}</Th>
              <Th>{t('tuning.col.status')}</Th>
              <Th>{t('tuning.col.best')}</Th>
              <Th>{t('tuning.col.outcome')}</Th>
              <Th>{t('tuning.col.created')}</Th>
            </tr>
          </thead>
          <tbody>
            {studies.data.map((s) => (
              <Tr key={s.id}>
                <Td>
                  <Link href={`/tuning/${s.id}`} className="font-mono font-medium text-blue-800 underline underline-offset-2">
                    {shortId(s.id)}
                  </Link>
                </Td>
                <Td className="font-mono">{s.family}</Td>
                <Td>{methodWord(s.method.kind)}</Td>
                <Td>
                  <Badge tone={STUDY_STATUS_TONE[s.status]}>{statusWord(s.status)}</Badge>
                </Td>
                <Td className="tabular-nums">{formatPct(s.best?.value ?? null)}</Td>
                <Td>{s.kept_version_id ? t('tuning.outcome.kept') : s.discarded ? t('tuning.outcome.discarded') : t('state.none')}</Td>
                <Td className="whitespace-nowrap">{formatWhen(s.created_at)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
