import { useState } from 'react';
import { toast } from 'sonner';
import { z } from 'zod';
import { GateResult, type Activation, type ModelVersion } from '@inkwell/contracts';
import { ApiError } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { FormError } from '../../ui/feedback';
import { inputClass } from '../../ui/field';
import { GateSummary } from './gate-result';
import { usePromote } from './models-queries';

const RefusedGate = z.object({ gate: GateResult });

/** The gate's numbers when the server refused the promotion because of them (409 with details.gate). */
const refusedGate = (e: unknown): GateResult | null => (e instanceof ApiError ? (RefusedGate.safeParse(e.details).data?.gate ?? null) : null);

/**
 * Promote (admins): the gate runs on the server; its verdict is shown either way. A refusal can be
 * overridden only with a written reason, which the activation history keeps.
 */
export function PromoteDialog({ version, onClose }: { readonly version: ModelVersion; readonly onClose: () => void }) {
  const promote = usePromote();
  const [done, setDone] = useState<Activation | null>(null);
  const [reason, setReason] = useState('');
  const gate = done?.gate ?? refusedGate(promote.error);
  const refused = gate !== null && !gate.passed && done === null;
  const run = (force: boolean) =>
    promote.mutate(
      { id: version.id, body: force ? { force: true, reason: reason.trim() } : {} },
      {
        onSuccess: (a) => {
          setDone(a);
          toast.success(t('models.promote.toast', { name: version.name }));
        },
      },
    );
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={t('models.promote.title', { name: version.name })} description={t('models.promote.body')}>
      {gate ? <GateSummary gate={gate} /> : null}
      {done ? (
        <p className="mt-3 text-slate-900">{t('models.promote.done')}</p>
      ) : (
        <>
          {refused ? (
            <div className="mt-3">
              <label htmlFor="promote-reason" className="mb-1 block font-medium text-slate-900">
                {t('models.promote.reason')}
              </label>
              <textarea id="promote-reason" className={inputClass} rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
          ) : null}
          <FormError message={promote.error && !refused ? errorMessage(promote.error) : null} />
        </>
      )}
      <div className="mt-4 flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          {done ? t('models.promote.close') : t('action.cancel')}
        </Button>
        {done ? null : refused ? (
          <Button variant="danger" disabled={promote.isPending || reason.trim() === ''} onClick={() => run(true)}>
            {promote.isPending ? t('confirm.busy') : t('models.promote.force')}
          </Button>
        ) : (
          <Button disabled={promote.isPending} onClick={() => run(false)}>
            {promote.isPending ? t('confirm.busy') : t('models.promote.confirm')}
          </Button>
        )}
      </div>
    </Dialog>
  );
}
