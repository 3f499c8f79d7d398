import * as RadixDialog from '@radix-ui/react-dialog';
import { useRef, type ReactNode } from 'react';
import { t } from '../i18n/i18n';
import { Button } from './button';

interface DialogProps {
  readonly open: boolean;
  readonly onOpenChange: (open: boolean) => void;
  readonly title: string;
  readonly description?: string;
  readonly children: ReactNode;
  /**
   * Where focus goes when the dialog closes, when the caller knows better than the opener (its
   * button is gone after the change, say); null or absent: back to what had focus when it opened.
   */
  readonly returnFocus?: () => HTMLElement | null;
}

/** The page's heading (PageHeader's h1 takes focus): a target that outlives any button. */
export const pageHeading = (): HTMLElement | null => document.querySelector<HTMLElement>('main h1') ?? document.querySelector<HTMLElement>('h1');

/** A modal dialog (Radix: focus trap, Escape, focus returned to the opener, labelled by its title). */
export function Dialog({ open, onOpenChange, title, description, children, returnFocus }: DialogProps) {
  // Our dialogs are opened by state, not by a Radix Trigger, so Radix has no opener to return focus to: remember it.
  const opener = useRef<HTMLElement | null>(null);
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 bg-slate-900/50" />
        <RadixDialog.Content
          onOpenAutoFocus={() => {
            // Called before focus moves in: the active element is still the opener.
            opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
          }}
          onCloseAutoFocus={(e) => {
            e.preventDefault();
            const back = opener.current?.isConnected ? opener.current : null;
            (returnFocus?.() ?? back ?? pageHeading())?.focus();
            opener.current = null;
          }}
          className="fixed top-1/2 left-1/2 max-h-[90vh] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white p-6 shadow-xl">
          <RadixDialog.Title className="mb-2 text-xl font-semibold text-slate-900">{title}</RadixDialog.Title>
          {description ? <RadixDialog.Description className="mb-4 text-slate-700">{description}</RadixDialog.Description> : <RadixDialog.Description className="sr-only">{title}</RadixDialog.Description>}
          {children}
          <RadixDialog.Close asChild>
            <Button variant="ghost" size="sm" className="absolute top-3 right-3" aria-label={t('action.close')}>
              ✕
            </Button>
          </RadixDialog.Close>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
