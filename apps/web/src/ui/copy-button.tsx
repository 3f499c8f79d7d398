import { toast } from 'sonner';
import { t } from '../i18n/i18n';
import { Button } from './button';

/** Copies `text` to the clipboard and says so in a toast (or says to copy by hand when it cannot). */
export function CopyButton({ text, label = t('action.copy') }: { readonly text: string; readonly label?: string }) {
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      toast.success(t('action.copied'));
    } catch {
      toast.error(t('action.copyFailed'));
    }
  }
  return (
    <Button variant="secondary" size="sm" onClick={() => void copy()}>
      {label}
    </Button>
  );
}
