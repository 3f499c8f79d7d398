import { useState } from 'react';
import type { User } from '@inkwell/contracts';
import { signOut } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { ChangePasswordForm } from '../session/change-password-form';
import { FormError } from '../ui/form-error';

interface Props {
  readonly user: User;
  readonly onUserChanged: (user: User | null) => void;
}

export function AppShell({ user, onUserChanged }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function leave() {
    setBusy(true);
    setError(null);
    try {
      await signOut();
      onUserChanged(null);
    } catch (e) {
      // The cookies are only cleared by the server; claiming to be signed out would be false.
      setError(`Sign-out failed: ${errorMessage(e)}`);
      setBusy(false);
    }
  }

  return (
    <>
      <header className="topbar">
        <span className="brand">Inkwell</span>
        <div className="who">
          <span>
            Signed in as <strong>{user.name}</strong>
          </span>
          <button type="button" className="secondary" onClick={() => void leave()} disabled={busy}>
            {busy ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </header>
      <FormError message={error} />
      {user.must_change_password ? (
        <main>
          <ChangePasswordForm onChanged={onUserChanged} />
        </main>
      ) : (
        <main className="card">
          <h1>Your account</h1>
          <dl className="account">
            <dt>Name</dt>
            <dd>{user.name}</dd>
            <dt>Email</dt>
            <dd>{user.email}</dd>
            <dt>Role</dt>
            <dd>{user.role}</dd>
          </dl>
        </main>
      )}
    </>
  );
}
