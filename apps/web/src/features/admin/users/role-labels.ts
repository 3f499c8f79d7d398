import type { Role } from '@inkwell/contracts';
import { t, type MessageKey } from '../../../i18n/i18n';

export const ROLES: readonly Role[] = ['viewer', 'engineer', 'admin'];
export const ROLE_LABEL: Readonly<Record<Role, MessageKey>> = { viewer: 'users.role.viewer', engineer: 'users.role.engineer', admin: 'users.role.admin' };

/** The roles as a select's options, for every form that picks one (users, API keys). */
export const roleOptions: readonly { readonly value: Role; readonly label: string }[] = ROLES.map((r) => ({ value: r, label: t(ROLE_LABEL[r]) }));
/** A select's value as a role; anything else (never offered) falls back to the least privileged. */
export const asRole = (v: string): Role => ROLES.find((r) => r === v) ?? 'viewer';
