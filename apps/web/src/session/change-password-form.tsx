import { useState, type FormEvent } from 'react';
import { ChangePasswordRequest, type User } from '@inkwell/contracts';
import { isUnauthorized } from '../api/api-client';
import { changePassword } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { FormError } from '../ui/form-error';
import { formText, TextField } from '../ui/text-field';

const MIN_LENGTH = 12;
const MAX_LENGTH = 1024;

interface Props {
  /** Called with the user as the server now sees them, or null if the session ended meanwhile. */
  readonly onChanged: (user: User | null) => void;
}

/** Shown before anything else to a user whose password was set by an administrator. */
export function ChangePasswordForm({ onChanged }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const request = ChangePasswordRequest.safeParse({ current_password: formText(form, 'current'), new_password: formText(form, 'new') });
    if (!request.success) {
      setError(formText(form, 'new').length > MAX_LENGTH ? `The new password can have at most ${MAX_LENGTH} characters.` : `The new password needs at least ${MIN_LENGTH} characters.`);
      return;
    }
    if (request.data.new_password !== formText(form, 'confirm')) {
      setError('The two new passwords do not match.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onChanged(await changePassword(request.data));
    } catch (e) {
      // The session ended meanwhile (signed out elsewhere, deactivated): back to signing in.
      if (isUnauthorized(e)) return onChanged(null);
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <section className="card narrow" aria-labelledby="change-password-title">
      <h1 id="change-password-title">Choose a new password</h1>
      <p>Your password was set by an administrator. Choose your own before you continue.</p>
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <TextField label="Current password" name="current" type="password" autoComplete="current-password" required />
        <TextField label="New password" name="new" type="password" autoComplete="new-password" required minLength={MIN_LENGTH} maxLength={MAX_LENGTH} hint={`At least ${MIN_LENGTH} characters.`} />
        <TextField label="Repeat new password" name="confirm" type="password" autoComplete="new-password" required minLength={MIN_LENGTH} maxLength={MAX_LENGTH} />
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save password'}
        </button>
      </form>
    </section>
  );
}
