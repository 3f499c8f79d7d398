import { useState, type FormEvent } from 'react';
import { ChangePasswordRequest } from '@inkwell/contracts';
import { isUnauthorized } from '../api/api-client';
import { changePassword } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { t } from '../i18n/i18n';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { FormError } from '../ui/feedback';
import { formText, TextField } from '../ui/field';
import { useSession } from './session';

const MIN_LENGTH = 12;
const MAX_LENGTH = 1024;

/** Shown before anything else to a user whose password was set by an administrator. */
export function ChangePasswordForm() {
  const { setUser } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const request = ChangePasswordRequest.safeParse({ current_password: formText(form, 'current'), new_password: formText(form, 'new') });
    if (!request.success) {
      setError(formText(form, 'new').length > MAX_LENGTH ? t('password.tooLong', { max: MAX_LENGTH }) : t('password.tooShort', { min: MIN_LENGTH }));
      return;
    }
    if (request.data.new_password !== formText(form, 'confirm')) {
      setError(t('password.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setUser(await changePassword(request.data));
    } catch (e) {
      // The session ended meanwhile (signed out elsewhere, deactivated): back to signing in.
      if (isUnauthorized(e)) return setUser(null);
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <Card className="mx-auto max-w-md" aria-labelledby="change-password-title">
      <h1 id="change-password-title" className="mb-2 text-2xl font-semibold">
        {t('password.title')}
      </h1>
      <p className="mb-4 text-slate-700">{t('password.intro')}</p>
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <TextField label={t('password.current')} name="current" type="password" autoComplete="current-password" required />
        <TextField label={t('password.new')} name="new" type="password" autoComplete="new-password" required minLength={MIN_LENGTH} maxLength={MAX_LENGTH} hint={t('password.hint', { min: MIN_LENGTH })} />
        <TextField label={t('password.repeat')} name="confirm" type="password" autoComplete="new-password" required minLength={MIN_LENGTH} maxLength={MAX_LENGTH} />
        <FormError message={error} />
        <Button type="submit" disabled={busy}>
          {busy ? t('password.busy') : t('password.submit')}
        </Button>
      </form>
    </Card>
  );
}
