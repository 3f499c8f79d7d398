import { SESSION_MARKER_COOKIE, TokenResponse, User, type ChangePasswordRequest, type LoginRequest } from '@inkwell/contracts';
import type { z } from 'zod';
import { apiOnce, isUnauthorized, setSessionRenewal } from './api-client';

export type PasswordChange = z.infer<typeof ChangePasswordRequest>;

export async function signIn(body: LoginRequest): Promise<User> {
  const tokens = await apiOnce('post', '/api/auth/login', { body, schema: TokenResponse });
  return tokens.user;
}

export const signOut = (): Promise<undefined> => apiOnce('post', '/api/auth/logout', { body: {} });

// Refresh tokens are single-use: two calls racing with the same cookie would look like a stolen
// token to the server, which then ends the whole session. So concurrent callers share one refresh.
let refreshing: Promise<boolean> | null = null;

function refreshSession(): Promise<boolean> {
  refreshing ??= apiOnce('post', '/api/auth/refresh', { body: {}, schema: TokenResponse })
    .then(
      () => true,
      (e: unknown) => {
        if (isUnauthorized(e)) return false;
        throw e;
      },
    )
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/**
 * Tabs share the cookies but not this module, so a refresh in one tab spends the refresh cookie
 * another tab is about to send. A lock shared by every tab of the origin (Web Locks) makes them
 * take turns; browsers without it fall back to this tab's own sharing above.
 */
async function acrossTabs<T>(work: () => Promise<T>): Promise<T> {
  if (typeof navigator === 'undefined' || !('locks' in navigator)) return work();
  return await navigator.locks.request('inkwell-session-refresh', work);
}

/** Whether the server has marked this browser as holding a session (auth sets and clears the marker with the session's cookies). */
const hasSessionMarker = (): boolean => typeof document !== 'undefined' && document.cookie.split('; ').some((c) => c.startsWith(`${SESSION_MARKER_COOKIE}=`));

/** A refresh the server refused: the session is over, so the marker goes too (it is ours to read, and to clear). */
function forgetSessionMarker(): void {
  document.cookie = `${SESSION_MARKER_COOKIE}=; Max-Age=0; Path=/; SameSite=Strict`;
}

/**
 * Runs a signed-in call; when the access cookie has expired (401) it renews the session once with
 * the refresh cookie and tries again. The caller still gets the 401 if there is no session left.
 * Without the session marker there is nothing to renew: a guest's 401 is answered at once.
 */
async function withSession<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!isUnauthorized(e) || !hasSessionMarker()) throw e;
    return acrossTabs(async () => {
      // Another tab may have renewed the session while this one waited: its new cookie is ours too.
      try {
        return await run();
      } catch (again) {
        if (!isUnauthorized(again)) throw again;
        if (!(await refreshSession())) {
          forgetSessionMarker();
          throw again;
        }
        return run();
      }
    });
  }
}
setSessionRenewal(withSession);

/** The signed-in user, or null when there is no session to restore. */
export async function currentUser(): Promise<User | null> {
  try {
    return await withSession(() => apiOnce('get', '/api/auth/me', { schema: User }));
  } catch (e) {
    if (isUnauthorized(e)) return null;
    throw e;
  }
}

/**
 * Makes sure the access cookie is fresh (renewing it with the refresh cookie when it has expired)
 * before the browser itself sends a request this module cannot retry: a download link, an
 * EventSource. True when there is a session; false for a guest or a session that has ended.
 */
export const renewSessionIfNeeded = async (): Promise<boolean> => (await currentUser()) !== null;

/** The server ends every session and answers a new one (as cookies): the user it returns is signed in. */
export const changePassword = async (body: PasswordChange): Promise<User> =>
  (await withSession(() => apiOnce('post', '/api/auth/password', { body, schema: TokenResponse }))).user;
