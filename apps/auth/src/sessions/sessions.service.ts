import { randomUUID } from 'node:crypto';
import { AppError, type Identity, type TokenResponse, type User } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import type { LoginThrottle } from '../login-throttle/login-throttle';
import { recordAudit } from '../outbox/audit-recorder';
import { burnVerify, hashPassword, verifyPassword } from '../passwords/passwords';
import type { SigningKey } from '../keys/signing-key';
import { findUserByEmail, findUserById, toUser, updateUser, type UserRow } from '../users/users.store';
import { signAccessToken, type AccessTokenSettings } from './access-token';
import { consumeRefreshToken, findRefreshToken, hashToken, insertRefreshToken, newRefreshToken, revokeFamily, revokeUserFamilies } from './refresh-tokens.store';
import type { Revocations } from './revocations';

export interface ClientInfo {
  readonly ip: string;
  readonly userAgent: string | null;
}

const INVALID = () => new AppError('unauthorized', 'Invalid email or password');

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

  async login(email: string, password: string, client: ClientInfo): Promise<TokenResponse> {
    await this.throttle.assertAllowed(email, client.ip);
    const user = await findUserByEmail(this.db, email);
    const ok = user ? await verifyPassword(user.password_hash, password) : (await burnVerify(password), false);
    if (!user || !ok || !user.active) {
      await this.throttle.recordFailure(email, client.ip);
      await this.db.transaction((trx) =>
        recordAudit(trx, {
          action: 'auth.login',
          outcome: 'failure',
          actor: { kind: 'user', id: user?.id ?? null, email, role: user?.role ?? null, ip: client.ip, user_agent: client.userAgent },
          target: user ? { type: 'user', id: user.id } : null,
          details: { reason: !user ? 'unknown_email' : !ok ? 'bad_password' : 'inactive' },
        }),
      );
      this.onWrite();
      throw INVALID();
    }
    await this.throttle.recordSuccess(email);
    const tokens = await this.db.transaction(async (trx) => {
      await updateUser(trx, user.id, { last_login_at: new Date() });
      await recordAudit(trx, { action: 'auth.login', actor: this.actorFor(user, client), target: { type: 'user', id: user.id } });
      return this.issue(user, randomUUID(), client, trx);
    });
    this.onWrite();
    return tokens;
  }

  /** Rotates: the presented token is spent; presenting a spent one revokes its whole family. */
  async refresh(token: string, client: ClientInfo): Promise<TokenResponse> {
    const row = await findRefreshToken(this.db, hashToken(token));
    if (!row) throw new AppError('unauthorized', 'Invalid refresh token');
    if (row.used_at || row.revoked_at || !(await consumeRefreshToken(this.db, row.id))) {
      const reuse = row.revoked_at === null || row.used_at !== null;
      await revokeFamily(this.db, row.family_id);
      await this.revocations.revokeSessions([row.family_id]);
      if (reuse) {
        await this.db.transaction((trx) =>
          recordAudit(trx, { action: 'auth.refresh_reuse', outcome: 'failure', actor: { kind: 'user', id: row.user_id, email: null, role: null, ip: client.ip, user_agent: client.userAgent }, target: { type: 'session', id: row.family_id } }),
        );
        this.onWrite();
      }
      throw new AppError('unauthorized', 'Refresh token already used or revoked; the session was ended');
    }
    if (row.expires_at.getTime() <= Date.now()) throw new AppError('unauthorized', 'Refresh token expired');
    const user = await findUserById(this.db, row.user_id);
    if (!user || !user.active) throw new AppError('unauthorized', 'Account is not active');
    const tokens = await this.db.transaction(async (trx) => {
      await recordAudit(trx, { action: 'auth.refresh', actor: this.actorFor(user, client), target: { type: 'session', id: row.family_id } });
      return this.issue(user, row.family_id, client, trx);
    });
    this.onWrite();
    return tokens;
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
    for (const f of families) await revokeFamily(this.db, f);
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
    const password_hash = await hashPassword(next);
    await this.db.transaction(async (trx) => {
      await updateUser(trx, user.id, { password_hash, must_change_password: false });
      await recordAudit(trx, { action: 'auth.password_change', actor: identity, target: { type: 'user', id: user.id } });
    });
    // Other sign-ins end; the caller's own session keeps its refresh token family.
    const families = (await revokeUserFamilies(this.db, user.id)).filter((f) => f !== identity.session_id);
    await this.revocations.revokeSessions(families);
    this.onWrite();
  }

  async revokeAllForUser(userId: string, inactive: boolean): Promise<void> {
    const families = await revokeUserFamilies(this.db, userId);
    await this.revocations.revokeSessions(families);
    if (inactive) await this.revocations.markUserInactive(userId);
  }

  userReactivated(userId: string): Promise<void> {
    return this.revocations.markUserActive(userId);
  }
}
