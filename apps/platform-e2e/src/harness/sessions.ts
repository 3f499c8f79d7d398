import request from 'supertest';
import type { Role } from '@inkwell/contracts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Platform } from './platform';

export interface Session {
  readonly access: string;
  readonly refresh: string;
  readonly userId: string;
  readonly email: string;
  readonly password: string;
}

/**
 * Signs in through the gateway. A 503 (auth did not answer the gateway in time: a test platform
 * starved of CPU by a training job beside it on a 2-core machine) is tried again, twice, a second
 * apart; any other refusal throws at once.
 */
export async function signIn(p: Platform, email: string, password: string): Promise<Session> {
  let res = await request(p.url).post('/api/auth/login').send({ email, password });
  for (let retry = 0; res.status === 503 && retry < 2; retry++) {
    await new Promise((r) => setTimeout(r, 1000));
    res = await request(p.url).post('/api/auth/login').send({ email, password });
  }
  if (res.status !== 200) throw new Error(`login ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { access: res.body.access_token, refresh: res.body.refresh_token, userId: res.body.user.id, email, password };
}

export const signInAdmin = (p: Platform): Promise<Session> => signIn(p, ADMIN_EMAIL, ADMIN_PASSWORD);

/** Creates a user through the admin API and signs them in with the one-time password, as it comes. */
export async function createUserWithTemporaryPassword(p: Platform, admin: Session, role: Role, email = `${role}-${Math.random().toString(36).slice(2, 8)}@e2e.test`): Promise<Session> {
  const res = await request(p.url).post('/api/admin/users').set('Authorization', `Bearer ${admin.access}`).send({ email, name: `${role} user`, role });
  if (res.status !== 201) throw new Error(`create user answered ${res.status}: ${JSON.stringify(res.body)}`);
  return signIn(p, email, res.body.temporary_password as string);
}

/**
 * Creates a user through the admin API and takes them through their first sign-in: the temporary
 * password is replaced (until then the platform lets the session do nothing else), then the user
 * signs in with their own.
 */
export async function createUser(p: Platform, admin: Session, role: Role, email?: string): Promise<Session> {
  const first = await createUserWithTemporaryPassword(p, admin, role, email);
  const password = `own-password-${Math.random().toString(36).slice(2, 10)}`;
  const changed = await request(p.url).post('/api/auth/password').set('Authorization', `Bearer ${first.access}`).send({ current_password: first.password, new_password: password });
  if (changed.status >= 300) throw new Error(`password change answered ${changed.status}: ${JSON.stringify(changed.body)}`);
  return signIn(p, first.email, password);
}
