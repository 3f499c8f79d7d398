import { useEffect, useRef } from 'react';
import { toast } from 'sonner';
import { useLocation } from 'wouter';
import type { User } from '@inkwell/contracts';
import { isUnauthorized } from '../api/api-client';
import { currentUser } from '../api/auth-api';
import { t } from '../i18n/i18n';

/** How often a signed-in page asks whether its session still stands (an admin may end it at any time). */
export const SESSION_CHECK_MS = 30_000;

let onUnauthorized: (() => void) | null = null;

/**
 * For the query and mutation caches' `onError`: every call that answers 401 has already tried to
 * renew the session (api-client), so a 401 here means the session may be gone: the app checks.
 */
export function reportApiFailure(e: unknown): void {
  if (isUnauthorized(e)) onUnauthorized?.();
}

/**
 * Keeps the app's idea of who is signed in true to the server's: after any 401, every 30 s and
 * when the window regains focus, it asks `/api/auth/me`. A user who is gone (deactivated, signed
 * out elsewhere) is dropped and sent to sign in; a changed user (new role) replaces the old.
 */
export function useSessionWatch(user: User | null, setUser: (user: User | null) => void): void {
  const [, navigate] = useLocation();
  const latest = useRef({ user, setUser, navigate });
  useEffect(() => {
    latest.current = { user, setUser, navigate };
  });

  const signedIn = user !== null;
  useEffect(() => {
    if (!signedIn) return;
    let checking = false;
    const check = () => {
      const asked = latest.current.user;
      if (!asked || checking) return;
      checking = true;
      currentUser()
        .then((now) => {
          const { user: shown, setUser: set, navigate: go } = latest.current;
          // Someone else may have signed in meanwhile (or out): only the answer about the user we asked for counts.
          if (shown?.id !== asked.id) return;
          if (now === null) {
            set(null);
            go('/sign-in');
            toast.info(t('session.ended'));
          } else if (JSON.stringify(now) !== JSON.stringify(shown)) {
            set(now);
          }
        })
        // Unreachable or rate-limited: that says nothing about the session; the next check will.
        .catch(() => undefined)
        .finally(() => {
          checking = false;
        });
    };
    const whenVisible = () => document.visibilityState === 'visible' && check();
    onUnauthorized = check;
    const timer = window.setInterval(check, SESSION_CHECK_MS);
    window.addEventListener('focus', check);
    document.addEventListener('visibilitychange', whenVisible);
    return () => {
      if (onUnauthorized === check) onUnauthorized = null;
      window.clearInterval(timer);
      window.removeEventListener('focus', check);
      document.removeEventListener('visibilitychange', whenVisible);
    };
  }, [signedIn]);
}
