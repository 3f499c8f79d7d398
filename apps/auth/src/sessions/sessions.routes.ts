import { Router, type Request } from 'express';
import { ChangePasswordRequest, LoginRequest, RefreshRequest } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import { noStore } from '../http/no-store';
import { DEVICE_COOKIE } from '../login-throttle/device-cookie';
import { clearSessionCookies, REFRESH_COOKIE, setDeviceCookie, setSessionCookies } from './cookies';
import type { SessionsService } from './sessions.service';

const refreshTokenOf = (req: Request, body: RefreshRequest): string | undefined => {
  // cookie-parser turns a `j:`-prefixed value into an object: only a string can be a token.
  const cookie: unknown = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return body.refresh_token ?? (typeof cookie === 'string' ? cookie : undefined);
};

export function sessionsRoutes(sessions: SessionsService, secureCookies: boolean): Router {
  const r = Router();
  r.post('/api/auth/login', async (req, res) => {
    noStore(res);
    const body = parse(LoginRequest, req.body);
    const id = identityOf(res);
    const cookies = req.cookies as Record<string, unknown> | undefined;
    const { tokens, deviceCookie } = await sessions.login(body.email, body.password, { ip: id.ip, userAgent: id.user_agent }, cookies?.[DEVICE_COOKIE]);
    setSessionCookies(res, tokens, secureCookies);
    setDeviceCookie(res, deviceCookie, secureCookies);
    res.json(tokens);
  });
  r.post('/api/auth/refresh', async (req, res) => {
    noStore(res);
    const body = parse(RefreshRequest, req.body ?? {});
    const token = refreshTokenOf(req, body);
    const id = identityOf(res);
    const tokens = await sessions.refresh(token ?? '', { ip: id.ip, userAgent: id.user_agent });
    setSessionCookies(res, tokens, secureCookies);
    res.json(tokens);
  });
  r.post('/api/auth/logout', async (req, res) => {
    const body = parse(RefreshRequest, req.body ?? {});
    await sessions.logout(refreshTokenOf(req, body), identityOf(res));
    clearSessionCookies(res, secureCookies);
    res.status(204).end();
  });
  r.get('/api/auth/me', requireRole('viewer'), async (_req, res) => {
    res.json(await sessions.me(identityOf(res)));
  });
  r.post('/api/auth/password', requireRole('viewer'), async (req, res) => {
    noStore(res);
    const body = parse(ChangePasswordRequest, req.body);
    const tokens = await sessions.changePassword(identityOf(res), body.current_password, body.new_password);
    setSessionCookies(res, tokens, secureCookies);
    res.json(tokens);
  });
  return r;
}
