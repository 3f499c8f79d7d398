import { randomUUID } from 'node:crypto';
import { AppError, type Identity, isAppError, type TokenResponse, type User } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import { auditRecorder } from '@inkwell/outbox';
import { DeviceCookies } from '../login-throttle/device-cookie';
import type { LoginThrottle } from '../login-throttle/login-throttle';
import type { Passwords } from '../passwords/passwords';
import type { SigningKey } from '../keys/signing-key';
import { findUserByEmail, findUserById, lockUser, toUser, updateUser, type UserRow } from '../users/users.store';
import { signAccessToken, type AccessTokenSettings } from './access-token';
import { consumeRefreshToken, familyOwner, familyRevoked, findRefreshToken, hashToken, insertRefreshToken, newRefreshToken, revokeFamily, revokeUserFamilies } from './refresh-tokens.store';
import type { Revocations } from './revocations';

const recordAudit = auditRecorder('auth');

export interface ClientInfo {
  readonly ip: string;
  readonly userAgent: string | null;
}

/** A temporary password past its expiry signs in no more (an administrator creates a new one). */
const temporaryPasswordExpired = (u: UserRow): boolean =>
  u.must_change_password && u.temporary_password_expires_at !== null && u.temporary_password_expires_at.getTime() <= Date.now();

const INVALID = () => new AppError('unauthorized', 'Invalid email or password');
const ENDED = () => new AppError('unauthorized', 'Refresh token already used or revoked; the session was ended');

type LoginFailure = 'unknown_email' | 'bad_password' | 'inactive' | 'temporary_password_expired';
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
    private readonly passwords: Passwords,
    private readonly onWrite: () => void,
  ) {
    this.devices = new DeviceCookies(key);
  }

  private readonly devices: DeviceCookies;

  /** Users with a password change in flight in this process: one each, so one user cannot queue up argon2 work. */
  private readonly changing = new Set<string>();

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
      access_token: signAccessToken(this.key, this.access, { userId: user.id, role: user.role, email: user.email, sessionId: familyId, passwordChangeRequired: user.must_change_password }),
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

  /**
   * Signs in. `deviceCookie` is the browser's device cookie, if any: one this account issued makes
   * the browser a client of its own for the throttle. A success returns a fresh one to set.
   */
  async login(email: string, password: string, client: ClientInfo, deviceCookie?: unknown): Promise<{ tokens: TokenResponse; deviceCookie: string }> {
    const throttled = { ip: client.ip, device: this.devices.deviceOf(email, deviceCookie) };
    await this.throttle.assertAllowed(email, throttled);
    try {
      const tokens = await this.signIn(email, password, client);
      await this.throttle.recordSuccess(email, throttled);
      return { tokens, deviceCookie: this.devices.issue(email) };
    } catch (err) {
      // Only a wrong credential counts against the limits: an outage must not lock users out.
      if (!(isAppError(err) && err.code === 'unauthorized')) await this.throttle.release(email, throttled);
      throw err;
    }
  }

  private async signIn(email: string, password: string, client: ClientInfo): Promise<TokenResponse> {
    const user = await findUserByEmail(this.db, email);
    const ok = user ? await this.passwords.verify(user.password_hash, password, 'sign-in') : (await this.passwords.burnVerify(password), false);
    if (!user) return this.refuseLogin(email, client, user, 'unknown_email');
    if (!ok) return this.refuseLogin(email, client, user, 'bad_password');
    if (temporaryPasswordExpired(user)) return this.refuseLogin(email, client, user, 'temporary_password_expired');
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
      // A temporary-password session lives only as long as the temporary password: refreshing it
      // past that would outlive the expiry that sign-in enforces.
      if (temporaryPasswordExpired(user)) {
        await revokeFamily(trx, row.family_id);
        return { ended: row.family_id, reuse: false };
      }
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

  /**
   * Checks the current password as a sign-in does (same throttle counters, so it is no side door for
   * guessing), then replaces it, ends every session of the user and answers new tokens in a new
   * session: the caller's old access token may carry `pwc`, and the new one must not.
   */
  async changePassword(identity: Identity, current: string, next: string): Promise<TokenResponse> {
    if (!identity.sub || identity.kind !== 'user') throw new AppError('unauthorized', 'Sign in required');
    const userId = identity.sub;
    // Checked before any I/O, so the rest of a flood costs no query either.
    if (this.changing.has(userId)) {
      throw new AppError('rate_limited', 'A password change for this account is already in progress', { retry_after_s: 1 }, { 'Retry-After': '1' });
    }
    this.changing.add(userId);
    try {
      const user = await findUserById(this.db, userId);
      if (!user) throw new AppError('unauthorized', 'Sign in required');
      // An expired temporary password is no password: it cannot be traded for one of the user's own.
      if (temporaryPasswordExpired(user)) throw new AppError('unauthorized', 'The temporary password has expired; ask an administrator for a new one');
      await this.throttle.assertAllowed(user.email, { ip: identity.ip, device: null });
      let ok: boolean;
      try {
        ok = await this.passwords.verify(user.password_hash, current, 'other');
      } catch (err) {
        await this.throttle.release(user.email, { ip: identity.ip, device: null });
        throw err;
      }
      if (!ok) {
        // The reservation stays: a wrong current password is a failed guess like a wrong sign-in.
        await this.db.transaction((trx) => recordAudit(trx, { action: 'auth.password_change', outcome: 'failure', actor: identity, target: { type: 'user', id: user.id }, details: { reason: 'bad_password' } }));
        this.onWrite();
        throw new AppError('forbidden', 'Current password is wrong');
      }
      await this.throttle.recordSuccess(user.email, { ip: identity.ip, device: null });
      return await this.replacePassword(user, identity, current, next);
    } finally {
      this.changing.delete(userId);
    }
  }

  private async replacePassword(user: UserRow, identity: Identity, current: string, next: string): Promise<TokenResponse> {
    // Otherwise a user told to replace an administrator-set password could keep it.
    if (next === current) throw new AppError('validation_failed', 'The new password must differ from the current one');
    const password_hash = await this.passwords.hash(next);
    const { families, tokens } = await this.db.transaction(async (trx) => {
      // Under the lock logins take: a login that verified the old password either issued its token
      // before this (and it is revoked below) or finds the hash changed and is refused.
      const locked = await lockUser(trx, user.id);
      // A concurrent change got here first: `current` is no longer the password.
      if (locked?.password_hash !== user.password_hash) throw new AppError('forbidden', 'Current password is wrong');
      const updated = await updateUser(trx, user.id, { password_hash, must_change_password: false, temporary_password_expires_at: null });
      if (!updated) throw new AppError('unauthorized', 'Account is not active');
      await recordAudit(trx, { action: 'auth.password_change', actor: identity, target: { type: 'user', id: user.id } });
      // Every sign-in ends, the caller's too; the caller goes on in the new session issued here.
      const ended = await revokeUserFamilies(trx, user.id);
      return { families: ended, tokens: await this.issue(updated, randomUUID(), { ip: identity.ip, userAgent: identity.user_agent }, trx) };
    });
    await this.revocations.revokeSessions(identity.session_id ? [...new Set([...families, identity.session_id])] : families);
    this.onWrite();
    return tokens;
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
