import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { TRAIN_FAMILIES, TrainFamily } from '@inkwell/contracts';
import { apiHref } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Card } from '../../ui/card';
import { Badge, EmptyState, ErrorPanel, Loading } from '../../ui/feedback';
import { SelectField } from '../../ui/field';
import { Table, Td, Th, Tr } from '../../ui/table';
import { familyWord, fetchHistory, formatEta, formatPct, formatWhen, historyKey, JOB_STATUS_TONE, jobStatusWord, shortId } from './training-queries';

const ALL = 'all';
const exportLink = 'inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 font-medium text-slate-900 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700';

/** Past runs per family (hyperparameters, scores, duration), with the same rows as CSV or JSON. */
export function TrainingHistoryCard() {
  const id = useId();
  const [family, setFamily] = useState<TrainFamily | null>(null);
  const history = useQuery({ queryKey: historyKey(family), queryFn: ({ signal }) => fetchHistory(family, signal) });
  const query = family ? { family } : {};
  return (
    <Card aria-labelledby={id}>
      <div className="mb-2 flex flex-wrap items-end justify-between gap-x-4">
        <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
          {t('training.history.title')}
        </h2>
        <div className="flex flex-wrap items-end gap-2">
          <div className="w-64 max-w-full">
            <SelectField
              name="history_family"
              label={t('training.history.family')}
              value={family ?? ALL}
              options={[{ value: ALL, label: t('training.history.all') }, ...TRAIN_FAMILIES.map((f) => ({ value: f, label: familyWord(f) }))]}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setFamily(v === ALL ? null : TrainFamily.parse(v));
              }}
            />
          </div>
          <div className="mb-4 flex gap-2">
            <a className={exportLink} href={apiHref('/api/training-history', { query: { ...query, format: 'csv' } })} download>
              {t('training.history.csv')}
            </a>
            <a className={exportLink} href={apiHref('/api/training-history', { query: { ...query, format: 'json' } })} download>
              {t('training.history.json')}
            </a>
          </div>
        </div>
      </div>
      {history.isPending ? (
        <Loading label={t('training.history.loading')} />
      ) : history.isError ? (
        <ErrorPanel message={errorMessage(history.error)} onRetry={() => void history.refetch()} />
      ) : history.data.length === 0 ? (
        <EmptyState message={t('training.history.empty')} />
      ) : (
        <Table caption={t('training.history.caption')} className="max-h-[28rem] overflow-y-auto">
          <thead>
            <tr>
              <Th>{t('training.col.job')}</Th>
              <Th>{t('training.col.family')}</Th>
              <Th>{t('training.col.status')}</Th>
              <Th>{t('training.col.epochs')}</Th>
              <Th>{t('training.col.accuracy')}</Th>
              <Th>{t('training.col.f1')}</Th>
              <Th>{t('training.col.duration')}</Th>
              <Th>{t('training.col.created')}</Th>
            </tr>
          </thead>
          <tbody>
            {history.data.map((r) => (
              <Tr key={r.job_id}>
                <Td>
                  <Link href={`/training/${r.job_id}`} className="font-mono font-medium text-blue-800 underline underline-offset-2">
                    {shortId(r.job_id)}
                  </Link>
                </Td>
                <Td className="font-mono">{r.family}</Td>
                <Td>
                  <Badge tone={JOB_STATUS_TONE[r.status]}>{jobStatusWord(r.status)}</Badge>
                </Td>
                <Td className="tabular-nums">{r.epochs}</Td>
                <Td className="tabular-nums">{formatPct(r.accuracy)}</Td>
                <Td className="tabular-nums">{formatPct(r.macro_f1)}</Td>
                <Td className="whitespace-nowrap">{formatEta(r.duration_s)}</Td>
                <Td className="whitespace-nowrap">{formatWhen(r.created_at)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
