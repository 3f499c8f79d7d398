import type { Role } from '@inkwell/contracts';
import type { MessageKey } from '../../../i18n/i18n';

export const ROLES: readonly Role[] = ['viewer', 'engineer', 'admin'];
export const ROLE_LABEL: Readonly<Record<Role, MessageKey>> = { viewer: 'users.role.viewer', engineer: 'users.role.engineer', admin: 'users.role.admin' };
