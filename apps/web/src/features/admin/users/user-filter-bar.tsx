import type { Role } from '@inkwell/contracts';
import { t } from '../../../i18n/i18n';
import { SelectField, TextField } from '../../../ui/field';
import { ROLES, roleOptions } from './role-labels';
import type { UserFilters } from './users-api';

type Filters = Omit<UserFilters, 'page'>;

const roleFilterOptions = [{ value: '', label: t('users.filter.anyRole') }, ...roleOptions];
const statusOptions = [
  { value: '', label: t('users.filter.anyStatus') },
  { value: 'active', label: t('users.status.active') },
  { value: 'inactive', label: t('users.status.inactive') },
];
const asRole = (v: string): Role | '' => ROLES.find((r) => r === v) ?? '';
const asStatus = (v: string): Filters['status'] => (v === 'active' || v === 'inactive' ? v : '');

/** Role, status and a search box; each change narrows the list (the search once typing pauses). */
export function UserFilterBar({ value, onChange }: { readonly value: Filters; readonly onChange: (next: Filters) => void }) {
  return (
    <div role="search" aria-label={t('users.filters')} className="grid gap-x-4 sm:grid-cols-3">
      <SelectField label={t('users.filter.role')} options={roleFilterOptions} value={value.role} onChange={(e) => onChange({ ...value, role: asRole(e.target.value) })} />
      <SelectField label={t('users.filter.status')} options={statusOptions} value={value.status} onChange={(e) => onChange({ ...value, status: asStatus(e.target.value) })} />
      <TextField
        label={t('users.filter.search')}
        name="q"
        type="search"
        maxLength={200}
        autoComplete="off"
        value={value.q}
        onChange={(e) => onChange({ ...value, q: e.target.value })}
      />
    </div>
  );
}
