import type { User } from '@inkwell/contracts';
import { t } from '../../../i18n/i18n';
import { Button } from '../../../ui/button';
import { Badge } from '../../../ui/feedback';
import { Table, Td, Th, Tr } from '../../../ui/table';
import { formatDateTime } from './format-date';
import { ROLE_LABEL } from './role-labels';

interface UsersTableProps {
  readonly users: readonly User[];
  readonly me: User | null;
  readonly onEdit: (user: User) => void;
  readonly onToggle: (user: User) => void;
}

export function UsersTable({ users, me, onEdit, onToggle }: UsersTableProps) {
  return (
    <Table caption={t('users.table')}>
      <thead>
        <Tr>
          <Th>{t('users.col.name')}</Th>
          <Th>{t('users.col.email')}</Th>
          <Th>{t('users.col.role')}</Th>
          <Th>{t('users.col.status')}</Th>
          <Th>{t('users.col.created')}</Th>
          <Th>{t('users.col.lastSignIn')}</Th>
          <Th>{t('users.col.actions')}</Th>
        </Tr>
      </thead>
      <tbody>
        {users.map((u) => {
          const self = u.id === me?.id;
          return (
            <Tr key={u.id}>
              <Td className="min-w-32 break-words">
                {u.name} {self ? <span className="text-slate-700">{t('users.you')}</span> : null}
              </Td>
              <Td className="min-w-40 break-all">{u.email}</Td>
              <Td>
                <Badge tone={u.role === 'admin' ? 'info' : 'neutral'}>{t(ROLE_LABEL[u.role])}</Badge>
              </Td>
              <Td>
                <div className="flex flex-wrap gap-1">
                  <Badge tone={u.active ? 'good' : 'bad'}>{t(u.active ? 'users.status.active' : 'users.status.inactive')}</Badge>
                  {u.must_change_password ? <Badge tone="warn">{t('users.mustChange')}</Badge> : null}
                </div>
              </Td>
              <Td className="whitespace-nowrap">{formatDateTime(u.created_at, '')}</Td>
              <Td className="whitespace-nowrap">{formatDateTime(u.last_login_at, t('users.never'))}</Td>
              <Td>
                <div className="flex gap-2">
                  <Button variant="secondary" size="sm" aria-label={t('users.editNamed', { name: u.name })} onClick={() => onEdit(u)}>
                    {t('users.edit')}
                  </Button>
                  {/* An admin cannot lock themself out: the server ignores it, so the page does not offer it. */}
                  {self ? null : u.active ? (
                    <Button variant="danger" size="sm" aria-label={t('users.deactivateNamed', { name: u.name })} onClick={() => onToggle(u)}>
                      {t('users.deactivate')}
                    </Button>
                  ) : (
                    <Button variant="secondary" size="sm" aria-label={t('users.activateNamed', { name: u.name })} onClick={() => onToggle(u)}>
                      {t('users.activate')}
                    </Button>
                  )}
                </div>
              </Td>
            </Tr>
          );
        })}
      </tbody>
    </Table>
  );
}
