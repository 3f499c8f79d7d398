import { errorMessage } from '../api/error-message';
import { t } from '../i18n/i18n';
import { Button } from './button';
import { Dialog } from './dialog';
import { FormError } from './feedback';

interface ConfirmDialogProps {
  readonly open: boolean;
  readonly onOpenChange: (open: boolean) => void;
  readonly title: string;
  readonly body: string;
  readonly confirmLabel: string;
  /** The way out; "Cancel" unless that would read as the action itself (cancelling a batch job). */
  readonly keepLabel?: string;
  readonly tone: 'danger' | 'primary';
  readonly busy: boolean;
  /** The last attempt's failure, shown in the dialog so the user can try again. */
  readonly error: unknown;
  readonly onConfirm: () => void;
  /** Where focus goes on close (see Dialog); the opener when absent. */
  readonly returnFocus?: () => HTMLElement | null;
}

/** The step before a change that takes effect at once (deactivate, revoke, cancel a job): says what will happen. */
export function ConfirmDialog({ open, onOpenChange, title, body, confirmLabel, keepLabel, tone, busy, error, onConfirm, returnFocus }: ConfirmDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} description={body} {...(returnFocus ? { returnFocus } : {})}>
      <FormError message={error ? errorMessage(error) : null} />
      <div className="mt-4 flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={() => onOpenChange(false)}>
          {keepLabel ?? t('action.cancel')}
        </Button>
        <Button variant={tone} onClick={onConfirm} disabled={busy}>
          {busy ? t('confirm.busy') : confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
