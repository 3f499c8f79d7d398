import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link } from 'wouter';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Card, PageHeader } from '../../ui/card';
import { Badge, EmptyState, ErrorPanel, Loading } from '../../ui/feedback';
import { Table, Td, Th, Tr } from '../../ui/table';
import { DatasetUpload } from './dataset-upload';
import { DATASET_STATUS_TONE, datasetStatusWord, datasetsListKey, fetchDatasets, formatBytes, formatWhen } from './datasets-queries';

/** While a dataset validates, the list asks again this often so its status changes by itself. */
const VALIDATING_REFRESH_MS = 2_000;

export function DatasetsPage() {
  const id = useId();
  const list = useQuery({
    queryKey: datasetsListKey,
    queryFn: ({ signal }) => fetchDatasets(signal),
    refetchInterval: (q) => (q.state.data?.some((d) => d.status === 'validating') ? VALIDATING_REFRESH_MS : false),
  });
  return (
    <>
      <PageHeader title={t('datasets.title')} description={t('datasets.description')} />
      <div className="space-y-6">
        <DatasetUpload />
        <Card aria-labelledby={`${id}-list`}>
          <h2 id={`${id}-list`} className="mb-4 text-xl font-semibold text-slate-900">
            {t('datasets.list.title')}
          </h2>
          {list.isPending ? (
            <Loading label={t('datasets.list.loading')} />
          ) : list.isError ? (
            <ErrorPanel message={errorMessage(list.error)} onRetry={() => void list.refetch()} />
          ) : list.data.length === 0 ? (
            <EmptyState message={t('datasets.list.empty')} />
          ) : (
            <Table caption={t('datasets.list.caption')}>
              <thead>
                <tr>
                  <Th>{t('datasets.col.name')}</Th>
                  <Th>{t('datasets.col.status')}</Th>
                  <Th>{t('datasets.col.format')}</Th>
                  <Th>{t('datasets.col.size')}</Th>
                  <Th>{t('datasets.col.created')}</Th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((d) => (
                  <Tr key={d.id}>
                    <Td className="min-w-40">
                      <Link href={`/datasets/${d.id}`} className="font-medium break-all text-blue-800 underline underline-offset-2 hover:text-blue-900">
                        {d.name}
                      </Link>
                      {d.built_in ? (
                        <span className="ml-2">
                          <Badge tone="neutral">{t('datasets.builtIn')}</Badge>
                        </span>
                      ) : null}
                    </Td>
                    <Td>
                      <Badge tone={DATASET_STATUS_TONE[d.status]}>{datasetStatusWord(d.status)}</Badge>
                    </Td>
                    <Td>{d.format}</Td>
                    <Td className="whitespace-nowrap">{formatBytes(d.size_bytes)}</Td>
                    <Td className="whitespace-nowrap">{formatWhen(d.created_at)}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
