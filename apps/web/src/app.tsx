import { useEffect, useMemo, useState } from 'react';
import type { User } from '@inkwell/contracts';
import { ApiError } from './api/api-client';
import { currentUser } from './api/auth-api';
import { errorMessage } from './api/error-message';
import { t } from './i18n/i18n';
import { ChangePasswordForm } from './session/change-password-form';
import { SessionProvider, type Session } from './session/session';
import { useSessionWatch } from './session/session-watch';
import { AppShell } from './shell/app-shell';
import { AppRoutes } from './shell/routes';
import { Button } from './ui/button';
import { Card } from './ui/card';
import { Loading } from './ui/feedback';

type View =
  | { readonly kind: 'checking' }
  | { readonly kind: 'ready'; readonly user: User | null }
  | { readonly kind: 'unavailable'; readonly title: string; readonly message: string };

// An answer that refuses (rate limit, forbidden) is not the same as no answer.
const titleFor = (e: unknown): string =>
  e instanceof ApiError && e.code === 'rate_limited' ? t('session.tooMany') : e instanceof ApiError && e.status >= 400 && e.status < 500 ? t('session.refused') : t('session.down');

export function App() {
  const [view, setView] = useState<View>({ kind: 'checking' });
  const [attempt, setAttempt] = useState(0);

  // The session lives in httpOnly cookies, so asking the server is the only way to know whether a
  // reload (or a new tab) is still signed in; a guest simply has none.
  useEffect(() => {
    let current = true;
    void currentUser().then(
      (user) => current && setView({ kind: 'ready', user }),
      (e: unknown) => current && setView({ kind: 'unavailable', title: titleFor(e), message: errorMessage(e) }),
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  const user = view.kind === 'ready' ? view.user : null;
  const session = useMemo<Session>(() => ({ user, setUser: (next) => setView({ kind: 'ready', user: next }) }), [user]);
  // A user an admin deactivates (or whose session ends elsewhere) is dropped and sent to sign in.
  useSessionWatch(user, session.setUser);

  switch (view.kind) {
    case 'checking':
      return (
        <main className="mx-auto max-w-md p-8" aria-busy="true">
          <Loading label={t('session.checking')} />
        </main>
      );
    case 'unavailable':
      return (
        <main className="mx-auto max-w-md p-4">
          <Card>
            <h1 className="mb-2 text-2xl font-semibold">{view.title}</h1>
            <p role="alert" className="mb-4">
              {view.message}
            </p>
            <Button
              onClick={() => {
                setView({ kind: 'checking' });
                setAttempt((n) => n + 1);
              }}
            >
              {t('action.retry')}
            </Button>
          </Card>
        </main>
      );
    case 'ready':
      return (
        <SessionProvider value={session}>
          <AppShell>{user?.must_change_password ? <ChangePasswordForm /> : <AppRoutes />}</AppShell>
        </SessionProvider>
      );
  }
}
