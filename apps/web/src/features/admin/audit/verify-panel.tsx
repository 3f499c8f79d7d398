import { useMutation, type UseMutationResult } from '@tanstack/react-query';
import { AuditVerifyResult } from '@inkwell/contracts';
import { api } from '../../../api/api-client';
import { errorMessage } from '../../../api/error-message';
import { t } from '../../../i18n/i18n';
import { Button } from '../../../ui/button';
import { FormError } from '../../../ui/feedback';

/** The outcome in words: intact (how much was checked), or the first bad event and why. */
export function verifyWords(r: AuditVerifyResult): string {
  if (r.first_bad) {
    const event = r.first_bad.event_id ? t('audit.verifyBadEvent', { id: r.first_bad.event_id }) : '';
    return t('audit.verifyBad', { seq: r.first_bad.seq, event, reason: t(`audit.fault.${r.first_bad.reason}`) });
  }
  const ok = r.from_seq === null || r.to_seq === null ? t('audit.verifyOkEmpty') : t('audit.verifyOk', { checked: r.checked.toLocaleString(), from: r.from_seq, to: r.to_seq });
  return r.next_from === null ? ok : `${ok} ${t('audit.verifyMore', { next: r.next_from })}`;
}

type Verify = UseMutationResult<AuditVerifyResult, Error, void>;

/** Recomputes the hash chain on the server (the whole kept log). */
export const useVerify = (): Verify => useMutation({ mutationFn: () => api('get', '/api/admin/audit-logs/verify', { schema: AuditVerifyResult }) });

export function VerifyButton({ verify }: { readonly verify: Verify }) {
  return (
    <Button variant="secondary" onClick={() => verify.mutate()} disabled={verify.isPending}>
      {verify.isPending ? t('audit.verifying') : t('audit.verify')}
    </Button>
  );
}

/** Whether the log is intact, announced when it is known. */
export function VerifyOutcome({ verify }: { readonly verify: Verify }) {
  return (
    <>
      <p role="status" className={verify.data ? (verify.data.ok ? 'mb-2 font-medium text-green-900' : 'mb-2 font-medium text-red-900') : undefined}>
        {verify.data ? verifyWords(verify.data) : null}
      </p>
      <FormError message={verify.isError ? errorMessage(verify.error) : null} />
    </>
  );
}
