import { useState } from 'react';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Badge, EmptyState, ErrorPanel, Loading } from '../../ui/feedback';
import { SelectField } from '../../ui/field';
import { Table, Td, Th, Tr } from '../../ui/table';
import { formatPct } from '../training/training-queries';
import { FIRST_TRIALS_VIEW, formatParam, statusWord, TRIAL_STATUS_TONE, TRIALS_PAGE_SIZE, useTrialPage, type TrialsView } from './tuning-queries';

const ORDERS = ['index:asc', 'index:desc', 'value:desc', 'value:asc'] as const;
type OrderKey = (typeof ORDERS)[number];
const FIRST_ORDER = `${FIRST_TRIALS_VIEW.sort}:${FIRST_TRIALS_VIEW.order}` as const satisfies OrderKey;
const ORDER_WORD = { 'index:asc': 'tuning.trials.sort.first', 'index:desc': 'tuning.trials.sort.last', 'value:desc': 'tuning.trials.sort.best', 'value:asc': 'tuning.trials.sort.worst' } as const;

/** One server page of trials at a time, sorted by the server: a study of thousands never loads them all. */
export function TrialTable({ studyId, params, bestIndex }: { readonly studyId: string; readonly params: readonly string[]; readonly bestIndex: number | null }) {
  const [order, setOrder] = useState<OrderKey>(FIRST_ORDER);
  const [page, setPage] = useState(FIRST_TRIALS_VIEW.page);
  const [sort, dir] = order.split(':') as [TrialsView['sort'], TrialsView['order']];
  const trials = useTrialPage(studyId, { sort, order: dir, page });
  const data = trials.data;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / TRIALS_PAGE_SIZE)) : 1;
  const from = data && data.total > 0 ? data.offset + 1 : 0;
  const to = data ? data.offset + data.items.length : 0;
  return (
    <div>
      <div className="max-w-xs">
        <SelectField
          name="trial_order"
          label={t('tuning.trials.sort')}
          value={order}
          options={ORDERS.map((o) => ({ value: o, label: t(ORDER_WORD[o]) }))}
          onChange={(e) => {
            setOrder(ORDERS.find((o) => o === e.currentTarget.value) ?? 'index:asc');
            setPage(1);
          }}
        />
      </div>
      {trials.isPending ? (
        <Loading label={t('tuning.trials.loading')} />
      ) : trials.isError && !data ? (
        <ErrorPanel message={errorMessage(trials.error)} onRetry={() => void trials.refetch()} />
      ) : data ? (
        <div aria-busy={trials.isFetching}>
          {trials.isError ? <ErrorPanel message={errorMessage(trials.error)} onRetry={() => void trials.refetch()} /> : null}
          {data.items.length === 0 ? (
            <EmptyState message={t('tuning.trials.empty')} />
          ) : (
            <Table caption={t('tuning.trials.caption')}>
              <thead>
                <tr>
                  <Th>{t('tuning.trials.col.trial')}</Th>
                  <Th>{t('tuning.trials.col.status')}</Th>
                  {params.map((p) => (
                    <Th key={p} className="font-mono">
                      {p}
                    </Th>
                  ))}
                  <Th>{t('tuning.trials.col.value')}</Th>
                  <Th>{t('tuning.trials.col.epochs')}</Th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((trial) => (
                  <Tr key={trial.index} data-trial={trial.index}>
                    <Td className="tabular-nums">
                      {trial.index}
                      {trial.index === bestIndex ? <span className="ml-2 font-semibold text-green-800">{t('tuning.trials.best')}</span> : null}
                    </Td>
                    <Td>
                      <Badge tone={TRIAL_STATUS_TONE[trial.status]}>{statusWord(trial.status)}</Badge>
                    </Td>
                    {params.map((p) => (
                      <Td key={p} className="font-mono tabular-nums">
                        {formatParam(trial.params[p])}
                      </Td>
                    ))}
                    <Td className="tabular-nums">{formatPct(trial.value)}</Td>
                    <Td className="tabular-nums">{trial.pruned_at_epoch !== null ? t('tuning.trials.prunedAt', { epoch: trial.pruned_at_epoch }) : trial.val_accuracy.length}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          )}
          <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
            <p role="status" className="text-slate-800">
              {data.total > 0 ? t('tuning.trials.count', { from: from.toLocaleString(), to: to.toLocaleString(), total: data.total.toLocaleString() }) : ''}
            </p>
            {data.total > TRIALS_PAGE_SIZE ? (
              <div className="flex items-center gap-2">
                <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => setPage((p) => Math.max(1, p - 1))}>
                  {t('tuning.trials.prev')}
                </Button>
                <span className="text-slate-800">{t('tuning.trials.pageOf', { page: page.toLocaleString(), pages: lastPage.toLocaleString() })}</span>
                <Button variant="secondary" size="sm" disabled={page >= lastPage} onClick={() => setPage((p) => Math.min(lastPage, p + 1))}>
                  {t('tuning.trials.next')}
                </Button>
              </div>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
