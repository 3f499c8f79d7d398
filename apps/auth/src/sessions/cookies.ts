import type { Response } from 'express';
import { SESSION_MARKER_COOKIE, type TokenResponse } from '@inkwell/contracts';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S } from '../login-throttle/device-cookie';

export const ACCESS_COOKIE = 'inkwell_access';
export const REFRESH_COOKIE = 'inkwell_refresh';

/**
 * Browsers get the tokens as httpOnly, SameSite=Strict cookies (script cannot read them, other
 * sites cannot send them); the refresh cookie only travels to /api/auth. Beside them a marker the
 * web app can read, living as long as the refresh cookie, tells it there is a session to restore.
 */
export function setSessionCookies(res: Response, t: TokenResponse, secure: boolean): void {
  res.cookie(ACCESS_COOKIE, t.access_token, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: t.expires_in * 1000 });
  res.cookie(REFRESH_COOKIE, t.refresh_token, { httpOnly: true, sameSite: 'strict', secure, path: '/api/auth', maxAge: t.refresh_expires_in * 1000 });
  res.cookie(SESSION_MARKER_COOKIE, '1', { httpOnly: false, sameSite: 'strict', secure, path: '/', maxAge: t.refresh_expires_in * 1000 });
}

export function clearSessionCookies(res: Response, secure: boolean): void {
  res.clearCookie(ACCESS_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
  res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: '/api/auth' });
  res.clearCookie(SESSION_MARKER_COOKIE, { httpOnly: false, sameSite: 'strict', secure, path: '/' });
}

/** The sign-in throttle's device cookie: only ever sent to sign-in, kept across sign-outs. */
export function setDeviceCookie(res: Response, value: string, secure: boolean): void {
  res.cookie(DEVICE_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure, path: '/api/auth/login', maxAge: DEVICE_COOKIE_MAX_AGE_S * 1000 });
}
