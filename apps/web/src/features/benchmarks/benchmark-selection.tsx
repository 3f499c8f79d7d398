import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { toast } from 'sonner';
import { BenchmarkRecord, ServableEngine } from '@inkwell/contracts';
import { api } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { useSession, isAdmin } from '../../session/session';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { pageHeading } from '../../ui/dialog';
import { FormError } from '../../ui/feedback';
import { formatDateTime } from '../models/model-format';
import { BENCHMARKS_KEY, benchmarkKey } from './benchmark-queries';

/** Apply (admins): the selected engine becomes what inference uses, after a confirmation. */
function ApplyAction({ record }: { readonly record: BenchmarkRecord }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  // The Apply button is gone once applied: focus then lands on the page's heading.
  const applied = useRef(false);
  const apply = useMutation({
    mutationFn: () => api('post', '/api/benchmarks/{id}/apply', { params: { id: record.id }, body: {}, schema: BenchmarkRecord }),
    onSuccess: async (updated) => {
      applied.current = true;
      setConfirming(false);
      queryClient.setQueryData(benchmarkKey(record.id), updated);
      toast.success(t('benchmarks.apply.done'));
      await queryClient.invalidateQueries({ queryKey: BENCHMARKS_KEY });
    },
  });
  const selected = record.selection?.selected;
  if (!selected || record.applied) return null;
  // Inference runs only the engines the contract calls servable: the server refuses the others, so say why instead of offering it.
  if (!ServableEngine.safeParse(selected.engine).success) {
    return (
      <p className="mt-4 text-slate-800" data-testid="apply-not-servable">
        {t('benchmarks.apply.notServable', { engine: selected.engine_key, servable: ServableEngine.options.join(', ') })}
      </p>
    );
  }
  return (
    <div className="mt-4">
      <Button onClick={() => setConfirming(true)}>{t('benchmarks.apply.button')}</Button>
      {/* The last refusal stays on the page after the dialog closes, so the admin can read it. */}
      {confirming ? null : <FormError message={apply.error ? t('benchmarks.apply.failed', { error: errorMessage(apply.error) }) : null} />}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t('benchmarks.apply.title')}
        body={t('benchmarks.apply.body', { engine: selected.engine_key, variant: selected.variant, batch: selected.batch_size, models: record.model_names.join(', ') })}
        confirmLabel={t('benchmarks.apply.confirm')}
        tone="primary"
        busy={apply.isPending}
        error={apply.error}
        onConfirm={() => apply.mutate()}
        returnFocus={() => {
          const done = applied.current;
          applied.current = false;
          return done ? pageHeading() : null;
        }}
      />
    </div>
  );
}

/** What was chosen and why, step by step; why every other engine lost; apply for admins. */
export function BenchmarkSelectionCard({ record }: { readonly record: BenchmarkRecord }) {
  const id = useId();
  const { user } = useSession();
  const s = record.selection;
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-3 text-xl font-semibold text-slate-900">
        {t('benchmarks.selection.title')}
      </h2>
      {s === null ? (
        <p className="text-slate-800">{t(record.status === 'failed' ? 'benchmarks.selection.noneFailed' : 'benchmarks.selection.pending')}</p>
      ) : (
        <div className="space-y-4 text-slate-900">
          <p className="text-lg font-medium" data-testid="benchmark-selected">
            {s.selected ? t('benchmarks.selection.chosen', { engine: s.selected.engine_key, batch: s.selected.batch_size, variant: s.selected.variant }) : t('benchmarks.selection.nothing')}
          </p>
          <p>{s.summary}</p>
          <p className="text-sm text-slate-700">{t(s.rank_by === 'throughput' ? 'benchmarks.selection.byThroughput' : 'benchmarks.selection.byLatency')}</p>
          <div>
            <h3 className="mb-1 font-semibold">{t('benchmarks.selection.steps')}</h3>
            <ol className="list-decimal space-y-1 pl-6 wrap-anywhere">
              {s.steps.map((step, i) => (
                <li key={i}>{step}</li>
              ))}
            </ol>
          </div>
          {s.not_selected.length > 0 ? (
            <div>
              <h3 className="mb-1 font-semibold">{t('benchmarks.selection.others')}</h3>
              <ul className="space-y-1">
                {s.not_selected.map((n) => (
                  <li key={n.engine_key} className="wrap-anywhere">
                    <span className="font-mono font-medium">{n.engine_key}</span>: {n.reason}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {record.applied ? (
            <p className="rounded-md border border-green-300 bg-green-50 p-3 text-green-900" role="status">
              {t('benchmarks.apply.applied', { id: record.applied.activation_id, by: record.applied.applied_by ?? t('state.none'), at: formatDateTime(record.applied.applied_at) })}
            </p>
          ) : null}
        </div>
      )}
      {isAdmin(user) && record.status === 'completed' ? <ApplyAction record={record} /> : null}
    </Card>
  );
}
