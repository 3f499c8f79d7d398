import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { toast } from 'sonner';
import { TuningJob } from '@inkwell/contracts';
import { api } from '../../api/api-client';
import { t, type MessageKey } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { pageHeading } from '../../ui/dialog';
import { isStudyFinished, TUNING_KEY } from './tuning-queries';

type Action = 'cancel' | 'keep' | 'discard';

const WORDS: Readonly<Record<Action, { open: MessageKey; title: MessageKey; body: MessageKey; confirm: MessageKey; done: MessageKey; tone: 'danger' | 'primary' }>> = {
  cancel: { open: 'tuning.action.cancel', title: 'tuning.action.cancelTitle', body: 'tuning.action.cancelBody', confirm: 'tuning.action.cancelConfirm', done: 'tuning.action.cancelled', tone: 'danger' },
  keep: { open: 'tuning.action.keep', title: 'tuning.action.keepTitle', body: 'tuning.action.keepBody', confirm: 'tuning.action.keepConfirm', done: 'tuning.action.kept', tone: 'primary' },
  discard: { open: 'tuning.action.discard', title: 'tuning.action.discardTitle', body: 'tuning.action.discardBody', confirm: 'tuning.action.discardConfirm', done: 'tuning.action.discarded', tone: 'danger' },
};

interface StudyState {
  readonly id: string;
  readonly status: TuningJob['status'];
  readonly hasBest: boolean;
  readonly kept: boolean;
  readonly discarded: boolean;
}

/** Which actions the study allows now (the API refuses the others with 409). */
export function actionsFor(s: StudyState): Action[] {
  if (!isStudyFinished(s.status)) return ['cancel'];
  const out: Action[] = [];
  if (s.status === 'completed' && s.hasBest && !s.kept && !s.discarded) out.push('keep');
  if (!s.discarded) out.push('discard');
  return out;
}

/** Cancel, keep the best, discard the trials' models: each behind a confirmation that says what it does. */
export function StudyActions({ study }: { readonly study: StudyState }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Action | null>(null);
  // After a change its button goes away with the refetch: focus then lands on the page's heading.
  const changed = useRef(false);
  const run = useMutation({
    mutationFn: (action: Action) => api('post', `/api/tuning/{id}/${action}`, { params: { id: study.id }, schema: TuningJob }),
    onSuccess: async (_study, action) => {
      changed.current = true;
      setOpen(null);
      toast.success(t(WORDS[action].done));
      await queryClient.invalidateQueries({ queryKey: TUNING_KEY });
    },
  });
  const actions = actionsFor(study);
  const words = open ? WORDS[open] : null;
  return (
    <>
      {actions.map((a) => (
        <Button key={a} variant={WORDS[a].tone === 'danger' ? 'danger' : 'primary'} onClick={() => setOpen(a)}>
          {t(WORDS[a].open)}
        </Button>
      ))}
      {words && open ? (
        <ConfirmDialog
          open
          onOpenChange={(o) => {
            if (!o) {
              setOpen(null);
              run.reset();
            }
          }}
          title={t(words.title)}
          body={t(words.body)}
          confirmLabel={t(words.confirm)}
          keepLabel={t('tuning.action.back')}
          tone={words.tone}
          busy={run.isPending}
          error={run.error}
          onConfirm={() => run.mutate(open)}
          returnFocus={() => {
            const done = changed.current;
            changed.current = false;
            return done ? pageHeading() : null;
          }}
        />
      ) : null}
    </>
  );
}
