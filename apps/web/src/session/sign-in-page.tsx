import { useState, type FormEvent } from 'react';
import type { User } from '@inkwell/contracts';
import { signIn } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { FormError } from '../ui/form-error';
import { formText, TextField } from '../ui/text-field';

export function SignInPage({ onSignedIn }: { readonly onSignedIn: (user: User) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn({ email: formText(form, 'email').trim(), password: formText(form, 'password') }));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <main className="card narrow">
      <h1>Sign in to Inkwell</h1>
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <TextField label="Email" name="email" type="email" autoComplete="username" required autoFocus />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
