import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { signIn } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { t } from '../i18n/i18n';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { FormError } from '../ui/feedback';
import { formText, TextField } from '../ui/field';
import { useSession } from './session';

export function SignInPage() {
  const { setUser } = useSession();
  const [, navigate] = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const user = await signIn({ email: formText(form, 'email').trim(), password: formText(form, 'password') });
      setUser(user);
      navigate('/account');
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <Card className="mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-semibold">{t('signIn.title')}</h1>
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <TextField label={t('signIn.email')} name="email" type="email" autoComplete="username" required autoFocus />
        <TextField label={t('signIn.password')} name="password" type="password" autoComplete="current-password" required />
        <FormError message={error} />
        <Button type="submit" disabled={busy} className="w-full">
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </Button>
      </form>
      <p className="mt-4 text-slate-700">
        <Link href="/" className="text-blue-800 underline">
          {t('signIn.guestHint')}
        </Link>
      </p>
    </Card>
  );
}
