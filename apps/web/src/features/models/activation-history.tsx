import { useState } from 'react';
import { toast } from 'sonner';
import { Link } from 'wouter';
import type { Activation, ActivationKind } from '@inkwell/contracts';
import { errorMessage } from '../../api/error-message';
import { t, type MessageKey } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Badge, EmptyState, ErrorPanel, Loading } from '../../ui/feedback';
import { Table, Td, Th, Tr } from '../../ui/table';
import { formatDateTime, pct, shortId } from './model-format';
import { useActivations, useRollback } from './models-queries';

const KIND_WORD: Readonly<Record<ActivationKind, MessageKey>> = { initial: 'models.history.initial', promote: 'models.history.promote', rollback: 'models.history.rollback', apply: 'models.history.apply' };

const who = (a: Activation): string => (a.actor.kind === 'system' ? t('models.history.system') : (a.actor.email ?? a.actor.id ?? t('state.none')));

function Versions({ ids }: { readonly ids: readonly string[] }) {
  if (ids.length === 0) return <>{t('state.none')}</>;
  return (
    <span className="flex flex-wrap gap-x-2">
      {ids.map((id) => (
        <Link key={id} href={`/models/${id}`} className="text-blue-800 underline" aria-label={t('models.history.versionLink', { id })}>
          {shortId(id)}
        </Link>
      ))}
    </span>
  );
}

/** Every change of what inference serves, newest first; admins can undo the last promotion here. */
export function ActivationHistory({ canRollback }: { readonly canRollback: boolean }) {
  const history = useActivations(true);
  const rollback = useRollback();
  const [confirming, setConfirming] = useState(false);
  return (
    <Card aria-labelledby="history-title">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="history-title" className="text-xl font-semibold text-slate-900">
          {t('models.history.title')}
        </h2>
        {canRollback ? (
          <Button variant="secondary" onClick={() => setConfirming(true)}>
            {t('models.rollback.open')}
          </Button>
        ) : null}
      </div>
      {history.isPending ? (
        <Loading label={t('models.history.loading')} />
      ) : history.isError ? (
        <ErrorPanel message={errorMessage(history.error)} onRetry={() => void history.refetch()} />
      ) : history.data.items.length === 0 ? (
        <EmptyState message={t('models.history.empty')} />
      ) : (
        <Table caption={t('models.history.title')}>
          <thead>
            <Tr>
              <Th>{t('models.history.when')}</Th>
              <Th>{t('models.history.kind')}</Th>
              <Th>{t('models.history.to')}</Th>
              <Th>{t('models.history.from')}</Th>
              <Th>{t('models.history.accuracy')}</Th>
              <Th>{t('models.history.who')}</Th>
              <Th>{t('models.history.gate')}</Th>
              <Th>{t('models.history.reason')}</Th>
            </Tr>
          </thead>
          <tbody>
            {history.data.items.map((a) => (
              <Tr key={a.id}>
                <Td className="whitespace-nowrap">{formatDateTime(a.created_at)}</Td>
                <Td>{t(KIND_WORD[a.kind])}</Td>
                <Td>
                  <Versions ids={a.to_ids} />
                </Td>
                <Td>
                  <Versions ids={a.from_ids} />
                </Td>
                <Td className="tabular-nums">{pct(a.to_accuracy)}</Td>
                <Td className="break-all">{who(a)}</Td>
                <Td>
                  {a.gate ? <Badge tone={a.gate.passed ? 'good' : 'bad'}>{t(a.gate.passed ? 'models.history.gatePassed' : 'models.history.gateRefused')}</Badge> : t('state.none')}
                  {a.forced ? (
                    <span className="ml-1">
                      <Badge tone="warn">{t('models.history.forced')}</Badge>
                    </span>
                  ) : null}
                </Td>
                <Td className="min-w-32 break-words">{a.reason ?? t('state.none')}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
      {confirming ? (
        <ConfirmDialog
          open
          onOpenChange={(open) => {
            if (!open) {
              setConfirming(false);
              rollback.reset();
            }
          }}
          title={t('models.rollback.title')}
          body={t('models.rollback.body')}
          confirmLabel={t('models.rollback.confirm')}
          tone="danger"
          busy={rollback.isPending}
          error={rollback.error}
          onConfirm={() =>
            rollback.mutate('', {
              onSuccess: () => {
                toast.success(t('models.rollback.toast'));
                setConfirming(false);
              },
            })
          }
        />
      ) : null}
    </Card>
  );
}
