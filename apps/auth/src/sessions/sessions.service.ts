import { randomUUID } from 'node:crypto';
import { AppError, type Identity, isAppError, type TokenResponse, type User } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import type { LoginThrottle } from '../login-throttle/login-throttle';
import { recordAudit } from '../outbox/audit-recorder';
import { burnVerify, hashPassword, verifyPassword } from '../passwords/passwords';
import type { SigningKey } from '../keys/signing-key';
import { findUserByEmail, findUserById, lockUser, toUser, updateUser, type UserRow } from '../users/users.store';
import { signAccessToken, type AccessTokenSettings } from './access-token';
import { consumeRefreshToken, familyOwner, familyRevoked, findRefreshToken, hashToken, insertRefreshToken, newRefreshToken, revokeFamily, revokeUserFamilies } from './refresh-tokens.store';
import type { Revocations } from './revocations';

export interface ClientInfo {
  readonly ip: string;
  readonly userAgent: string | null;
}

const INVALID = () => new AppError('unauthorized', 'Invalid email or password');
const ENDED = () => new AppError('unauthorized', 'Refresh token already used or revoked; the session was ended');

type LoginFailure = 'unknown_email' | 'bad_password' | 'inactive';
/** A refresh either rotates the token or ends its family (`reuse`: a spent token was presented). */
type RefreshOutcome = { readonly tokens: TokenResponse } | { readonly ended: string; readonly reuse: boolean };

export class SessionsService {
  constructor(
    private readonly db: Db,
    private readonly key: SigningKey,
    private readonly access: AccessTokenSettings,
    private readonly refreshTtlSeconds: number,
    private readonly throttle: LoginThrottle,
    private readonly revocations: Revocations,
    private readonly onWrite: () => void,
  ) {}

  private actorFor(user: UserRow, client: ClientInfo) {
    return { kind: 'user' as const, id: user.id, email: user.email, role: user.role, ip: client.ip, user_agent: client.userAgent };
  }

  private async issue(user: UserRow, familyId: string, client: ClientInfo, db: Db = this.db): Promise<TokenResponse> {
    const refresh = newRefreshToken();
    await insertRefreshToken(db, {
      family_id: familyId,
      user_id: user.id,
      token_hash: hashToken(refresh),
      expires_at: new Date(Date.now() + this.refreshTtlSeconds * 1000),
      ip: client.ip,
      user_agent: client.userAgent,
    });
    return {
      access_token: signAccessToken(this.key, this.access, { userId: user.id, role: user.role, email: user.email, sessionId: familyId }),
      token_type: 'Bearer',
      expires_in: this.access.ttlSeconds,
      refresh_token: refresh,
      refresh_expires_in: this.refreshTtlSeconds,
      user: toUser(user),
    };
  }

  private async refuseLogin(email: string, client: ClientInfo, user: UserRow | undefined, reason: LoginFailure): Promise<never> {
    // The throttle counted this attempt when it reserved it (assertAllowed); a failure keeps it.
    await this.db.transaction((trx) =>
      recordAudit(trx, {
        action: 'auth.login',
        outcome: 'failure',
        actor: { kind: 'user', id: user?.id ?? null, email, role: user?.role ?? null, ip: client.ip, user_agent: client.userAgent },
        target: user ? { type: 'user', id: user.id } : null,
        details: { reason },
      }),
    );
    this.onWrite();
    throw INVALID();
  }

  async login(email: string, password: string, client: ClientInfo): Promise<TokenResponse> {
    await this.throttle.assertAllowed(email, client.ip);
    try {
      return await this.signIn(email, password, client);
    } catch (err) {
      // Only a wrong credential counts against the limits: an outage must not lock users out.
      if (!(isAppError(err) && err.code === 'unauthorized')) await this.throttle.release(email, client.ip);
      throw err;
    }
  }

  private async signIn(email: string, password: string, client: ClientInfo): Promise<TokenResponse> {
    const user = await findUserByEmail(this.db, email);
    const ok = user ? await verifyPassword(user.password_hash, password) : (await burnVerify(password), false);
    if (!user) return this.refuseLogin(email, client, user, 'unknown_email');
    if (!ok) return this.refuseLogin(email, client, user, 'bad_password');
    const issued = await this.db.transaction(async (trx) => {
      // The password was verified without a lock (argon2 is slow). A password change or deactivation
      // that committed since then has already revoked every session it could see, and would not see
      // this one: so check, under the user's lock, that the verified hash and `active` still hold.
      const current = await lockUser(trx, user.id);
      if (!current?.active) return 'inactive' as const;
      if (current.password_hash !== user.password_hash) return 'bad_password' as const;
      await updateUser(trx, current.id, { last_login_at: new Date() });
      await recordAudit(trx, { action: 'auth.login', actor: this.actorFor(current, client), target: { type: 'user', id: current.id } });
      return this.issue(current, randomUUID(), client, trx);
    });
    if (typeof issued === 'string') return this.refuseLogin(email, client, user, issued);
    await this.throttle.recordSuccess(email, client.ip);
    this.onWrite();
    return issued;
  }

  /** Rotates: the presented token is spent; presenting a spent one revokes its whole family. */
  async refresh(token: string, client: ClientInfo): Promise<TokenResponse> {
    const hash = hashToken(token);
    // Spending the token and storing its successor is one transaction under the user's lock, so
    // parallel refreshes of one token take turns: a replay that revokes the family also revokes the
    // winner's new token (or the winner finds the family revoked), and a failure part-way leaves the
    // token unspent for the client's retry.
    const outcome = await this.db.transaction(async (trx): Promise<RefreshOutcome> => {
      const found = await findRefreshToken(trx, hash);
      if (!found) throw new AppError('unauthorized', 'Invalid refresh token');
      const user = await lockUser(trx, found.user_id);
      // Read again: what a refresh that held the lock before us committed is visible only now.
      const row = (await findRefreshToken(trx, hash)) ?? found;
      if (row.used_at || row.revoked_at || (await familyRevoked(trx, row.family_id))) {
        await revokeFamily(trx, row.family_id);
        const reuse = row.used_at !== null;
        if (reuse) {
          await recordAudit(trx, { action: 'auth.refresh_reuse', outcome: 'failure', actor: { kind: 'user', id: row.user_id, email: null, role: null, ip: client.ip, user_agent: client.userAgent }, target: { type: 'session', id: row.family_id } });
        }
        return { ended: row.family_id, reuse };
      }
      if (row.expires_at.getTime() <= Date.now()) throw new AppError('unauthorized', 'Refresh token expired');
      if (!user?.active) throw new AppError('unauthorized', 'Account is not active');
      if (!(await consumeRefreshToken(trx, row.id))) throw new Error('refresh token changed under the user lock');
      await recordAudit(trx, { action: 'auth.refresh', actor: this.actorFor(user, client), target: { type: 'session', id: row.family_id } });
      return { tokens: await this.issue(user, row.family_id, client, trx) };
    });
    if ('ended' in outcome) {
      await this.revocations.revokeSessions([outcome.ended]);
      if (outcome.reuse) this.onWrite();
      throw ENDED();
    }
    this.onWrite();
    return outcome.tokens;
  }

  /** Ends the sign-in named by the refresh token and/or the access token's session at once. */
  async logout(refreshToken: string | undefined, identity: Identity): Promise<void> {
    const families = new Set<string>();
    if (identity.session_id) families.add(identity.session_id);
    if (refreshToken) {
      const row = await findRefreshToken(this.db, hashToken(refreshToken));
      if (row) families.add(row.family_id);
    }
    if (families.size === 0) return;
    for (const f of families) {
      await this.db.transaction(async (trx) => {
        const owner = await familyOwner(trx, f);
        if (!owner) return;
        await lockUser(trx, owner); // so a refresh in flight cannot add a token this misses
        await revokeFamily(trx, f);
      });
    }
    await this.revocations.revokeSessions([...families]);
    await this.db.transaction((trx) => recordAudit(trx, { action: 'auth.logout', actor: identity, target: { type: 'session', id: [...families].join(',') } }));
    this.onWrite();
  }

  async me(identity: Identity): Promise<User> {
    if (!identity.sub || identity.kind !== 'user') throw new AppError('unauthorized', 'Sign in required');
    const user = await findUserById(this.db, identity.sub);
    if (!user || !user.active) throw new AppError('unauthorized', 'Account is not active');
    return toUser(user);
  }

  async changePassword(identity: Identity, current: string, next: string): Promise<void> {
    const user = identity.sub && identity.kind === 'user' ? await findUserById(this.db, identity.sub) : undefined;
    if (!user) throw new AppError('unauthorized', 'Sign in required');
    if (!(await verifyPassword(user.password_hash, current))) throw new AppError('forbidden', 'Current password is wrong');
    // Otherwise a user told to replace an administrator-set password could keep it.
    if (next === current) throw new AppError('validation_failed', 'The new password must differ from the current one');
    const password_hash = await hashPassword(next);
    const families = await this.db.transaction(async (trx) => {
      // Under the lock logins take: a login that verified the old password either issued its token
      // before this (and it is revoked below) or finds the hash changed and is refused.
      const locked = await lockUser(trx, user.id);
      // A concurrent change got here first: `current` is no longer the password.
      if (locked?.password_hash !== user.password_hash) throw new AppError('forbidden', 'Current password is wrong');
      await updateUser(trx, user.id, { password_hash, must_change_password: false });
      await recordAudit(trx, { action: 'auth.password_change', actor: identity, target: { type: 'user', id: user.id } });
      // Other sign-ins end; the caller's own session keeps its refresh token family.
      return revokeUserFamilies(trx, user.id, identity.session_id);
    });
    await this.revocations.revokeSessions(families);
    this.onWrite();
  }

  /** Called after the user's row was changed (deactivated, role changed) and committed. */
  async revokeAllForUser(userId: string, inactive: boolean): Promise<void> {
    const families = await this.db.transaction(async (trx) => {
      await lockUser(trx, userId); // waits for logins and refreshes in flight, then sees their tokens
      return revokeUserFamilies(trx, userId);
    });
    await this.revocations.revokeSessions(families);
    if (inactive) await this.revocations.markUserInactive(userId);
  }

  userReactivated(userId: string): Promise<void> {
    return this.revocations.markUserActive(userId);
  }
}
