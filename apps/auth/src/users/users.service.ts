import { AppError, type CreateUserRequest, type Identity, type UpdateUserRequest, type User, type UserListQuery } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import { auditRecorder, enqueue } from '@inkwell/outbox';
import { hashPassword, type Passwords, temporaryPassword } from '../passwords/passwords';
import type { SessionsService } from '../sessions/sessions.service';
import { countAdmins, findUserByEmail, findUserById, insertUser, listUsers, lockAdminSet, lockUser, toUser, updateUser, type UserRow } from './users.store';

const recordAudit = auditRecorder('auth');

const isUniqueViolation = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';

export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly sessions: SessionsService,
    private readonly passwords: Passwords,
    private readonly temporaryPasswordTtlHours: number,
    private readonly onWrite: () => void,
  ) {}

  async list(q: UserListQuery) {
    const { rows, total } = await listUsers(this.db, q);
    return { items: rows.map(toUser), total, page: q.page, page_size: q.page_size };
  }

  async get(id: string): Promise<User> {
    const row = await findUserById(this.db, id);
    if (!row) throw new AppError('not_found', 'No such user');
    return toUser(row);
  }

  /** The temporary password is returned once, must be changed at first sign-in and expires unused. */
  async create(actor: Identity, input: CreateUserRequest): Promise<{ user: User; temporary_password: string }> {
    const password = temporaryPassword();
    const password_hash = await this.passwords.hash(password);
    const temporary_password_expires_at = new Date(Date.now() + this.temporaryPasswordTtlHours * 3600_000);
    try {
      const row = await this.db.transaction(async (trx) => {
        const created = await insertUser(trx, { email: input.email, name: input.name, role: input.role, password_hash, must_change_password: true, temporary_password_expires_at });
        await recordAudit(trx, { action: 'user.create', actor, target: { type: 'user', id: created.id }, details: { email: created.email, role: created.role } });
        // The invitation (seed 000 FR-AUTH-002) leaves through the outbox, by SMTP where configured.
        // Unlike the seed's wording it does not carry the temporary password: the row would keep it
        // in plaintext in the database (for good where SMTP is off) and e-mail is no confidential
        // channel. The admin, who sees it once, hands it over; it expires and must be changed.
        const text = `An Inkwell account with the role ${created.role} was created for ${created.email}. Your administrator will give you a temporary password: it works for ${this.temporaryPasswordTtlHours} hours, and you choose your own password at first sign-in.`;
        await enqueue(trx, 'email', { to: created.email, subject: 'Your Inkwell account', text });
        return created;
      });
      this.onWrite();
      return { user: toUser(row), temporary_password: password };
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('conflict', 'A user with this email already exists');
      throw e;
    }
  }

  async update(actor: Identity, id: string, input: UpdateUserRequest): Promise<User> {
    const self = actor.sub === id;
    // Nobody changes their own role or active flag: that is how an admin would lock everyone out
    // or a session thief would entrench itself. Silently ignored, as the contract documents.
    const patch: UpdateUserRequest = self ? { ...input, role: undefined, active: undefined } : input;
    const mayRemoveAnAdmin = (patch.role !== undefined && patch.role !== 'admin') || patch.active === false;
    let before: UserRow;
    let after: UserRow;
    try {
      ({ before, after } = await this.db.transaction(async (trx) => {
        // Two admins demoting each other at once would each count two admins and both succeed:
        // such changes take turns (admin-set lock first, then the row, always in this order).
        if (mayRemoveAnAdmin) await lockAdminSet(trx);
        // Sign-in locks this row as well, so it never checks a password or active flag mid-change.
        const current = await lockUser(trx, id);
        if (!current) throw new AppError('not_found', 'No such user');
        if (current.role === 'admin' && current.active && mayRemoveAnAdmin && (await countAdmins(trx)) <= 1) {
          throw new AppError('conflict', 'The last active admin cannot be demoted or deactivated');
        }
        const fields = Object.fromEntries(Object.entries({ email: patch.email, name: patch.name, role: patch.role, active: patch.active }).filter(([, v]) => v !== undefined));
        if (patch.active === false) Object.assign(fields, { deactivated_at: new Date() });
        const row = Object.keys(fields).length ? await updateUser(trx, id, fields) : current;
        if (!row) throw new AppError('not_found', 'No such user');
        const changed = Object.keys(fields).filter((k) => k !== 'deactivated_at');
        if (changed.length) {
          await recordAudit(trx, { action: 'user.update', actor, target: { type: 'user', id }, details: { changed, ignored_self_fields: self && (input.role !== undefined || input.active !== undefined) } });
        }
        return { before: current, after: row };
      }));
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('conflict', 'A user with this email already exists');
      throw e;
    }
    if (before.active !== after.active) await this.syncInactiveMarker(id, after.active);
    if (before.role !== after.role) await this.sessions.revokeAllForUser(id, false);
    this.onWrite();
    return toUser(after);
  }

  /**
   * Makes the gateway's "inactive user" marker in Redis agree with the committed active flag.
   * A deactivation and an activation of one user commit in one order but can reach Redis in the
   * other, which left an active user refused everywhere until the marker expired. So after each
   * Redis write we re-read the flag and write again until the flag read after our write is the one
   * we wrote: whichever request writes Redis last has then seen the final flag after its write (any
   * later commit would be followed by its own request's write). Gives up after a few rounds, which
   * takes admins toggling the user faster than Redis answers; a marker left wrong then lasts at
   * most its TTL (the access-token lifetime), and the user's sessions were revoked either way.
   */
  private async syncInactiveMarker(id: string, active: boolean): Promise<void> {
    let wanted = active;
    for (let round = 0; round < 5; round++) {
      if (wanted) await this.sessions.userReactivated(id);
      else await this.sessions.revokeAllForUser(id, true);
      const now = (await findUserById(this.db, id))?.active ?? false;
      if (now === wanted) return;
      wanted = now;
    }
  }

  setActive(actor: Identity, id: string, active: boolean): Promise<User> {
    if (actor.sub === id) throw new AppError('conflict', 'You cannot change your own active status');
    return this.update(actor, id, { active });
  }

  /** Creates the first admin from config when no user with that email exists (idempotent). */
  async ensureAdmin(email: string, password: string): Promise<boolean> {
    if (await findUserByEmail(this.db, email)) return false;
    const password_hash = await hashPassword(password);
    await this.db.transaction(async (trx) => {
      const row = await insertUser(trx, { email, name: 'Administrator', role: 'admin', password_hash, must_change_password: false });
      await recordAudit(trx, { action: 'user.bootstrap_admin', actor: { kind: 'system' }, target: { type: 'user', id: row.id } });
    });
    this.onWrite();
    return true;
  }
}
