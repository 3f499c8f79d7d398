import { useEffect, useState } from 'react';
import type { User } from '@inkwell/contracts';
import { ApiError } from './api/api-client';
import { currentUser } from './api/auth-api';
import { errorMessage } from './api/error-message';
import { SignInPage } from './session/sign-in-page';
import { AppShell } from './shell/app-shell';

type View =
  | { readonly kind: 'checking' }
  | { readonly kind: 'signed-out' }
  | { readonly kind: 'signed-in'; readonly user: User }
  | { readonly kind: 'unavailable'; readonly title: string; readonly message: string };

// An answer that refuses (rate limit, forbidden) is not the same as no answer.
const titleFor = (e: unknown): string =>
  e instanceof ApiError && e.code === 'rate_limited' ? 'Too many requests' : e instanceof ApiError && e.status >= 400 && e.status < 500 ? 'Inkwell refused the request' : 'Inkwell is not answering';

export function App() {
  const [view, setView] = useState<View>({ kind: 'checking' });
  const [attempt, setAttempt] = useState(0);
  const show = (user: User | null) => setView(user ? { kind: 'signed-in', user } : { kind: 'signed-out' });
  const retry = () => {
    setView({ kind: 'checking' });
    setAttempt((n) => n + 1);
  };

  // The session lives in httpOnly cookies, so asking the server is the only way to know whether a
  // reload (or a new tab) is still signed in.
  useEffect(() => {
    let current = true;
    void currentUser().then(
      (user) => current && show(user),
      (e: unknown) => current && setView({ kind: 'unavailable', title: titleFor(e), message: errorMessage(e) }),
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  switch (view.kind) {
    case 'checking':
      return (
        <main className="card narrow" aria-busy="true">
          <p>Checking your session…</p>
        </main>
      );
    case 'unavailable':
      return (
        <main className="card narrow">
          <h1>{view.title}</h1>
          <p role="alert">{view.message}</p>
          <button type="button" onClick={retry}>
            Try again
          </button>
        </main>
      );
    case 'signed-out':
      return <SignInPage onSignedIn={show} />;
    case 'signed-in':
      return <AppShell user={view.user} onUserChanged={show} />;
  }
}
