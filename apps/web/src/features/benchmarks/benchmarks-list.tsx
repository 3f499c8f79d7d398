import { useId } from 'react';
import { engineKey } from '@inkwell/contracts';
import { Link } from 'wouter';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Card } from '../../ui/card';
import { Badge, EmptyState, ErrorPanel, Loading } from '../../ui/feedback';
import { Table, Td, Th, Tr } from '../../ui/table';
import { formatDateTime, shortId } from '../models/model-format';
import { STATUS_TONE, statusWord, useBenchmarks } from './benchmark-queries';

/** Every benchmark, newest first: what it measured, how far it got, what it chose. */
export function BenchmarksList() {
  const id = useId();
  const list = useBenchmarks();
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
        {t('benchmarks.list.title')}
      </h2>
      {list.isPending ? (
        <Loading label={t('benchmarks.list.loading')} />
      ) : list.isError ? (
        <ErrorPanel message={errorMessage(list.error)} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <EmptyState message={t('benchmarks.list.empty')} />
      ) : (
        <Table caption={t('benchmarks.list.caption')} className="max-h-[32rem] overflow-y-auto">
          <thead>
            <tr>
              <Th>{t('benchmarks.col.benchmark')}</Th>
              <Th>{t('benchmarks.col.model')}</Th>
              <Th>{t('benchmarks.col.engines')}</Th>
              <Th>{t('benchmarks.col.status')}</Th>
              <Th>{t('benchmarks.col.progress')}</Th>
              <Th>{t('benchmarks.col.selected')}</Th>
              <Th>{t('benchmarks.col.created')}</Th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((b) => (
              <Tr key={b.id}>
                <Td>
                  <Link href={`/benchmarks/${b.id}`} className="font-mono font-medium text-blue-800 underline underline-offset-2" aria-label={t('benchmarks.list.open', { id: b.id })}>
                    {shortId(b.id)}
                  </Link>
                </Td>
                <Td className="max-w-48 break-all">{b.request.model_version_id === 'active' ? t('benchmarks.list.active', { names: b.model_names.join(', ') }) : b.model_names.join(', ')}</Td>
                <Td className="max-w-56">{b.request.engines.map(engineKey).join(', ')}</Td>
                <Td>
                  <Badge tone={STATUS_TONE[b.status]}>{statusWord(b.status)}</Badge>
                </Td>
                <Td className="whitespace-nowrap tabular-nums">{t('benchmarks.list.cells', { done: b.progress.cells_done, total: b.progress.cells_total })}</Td>
                <Td className="font-mono whitespace-nowrap">{b.selection?.selected ? `${b.selection.selected.engine_key} · ${b.selection.selected.batch_size}` : t('state.none')}</Td>
                <Td className="whitespace-nowrap">{formatDateTime(b.created_at)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
