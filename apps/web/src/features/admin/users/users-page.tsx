import { useState } from 'react';
import type { User } from '@inkwell/contracts';
import { errorMessage } from '../../../api/error-message';
import { t } from '../../../i18n/i18n';
import { useSession } from '../../../session/session';
import { Button } from '../../../ui/button';
import { PageHeader } from '../../../ui/card';
import { EmptyState, ErrorPanel, Loading } from '../../../ui/feedback';
import { ConfirmDialog } from '../../../ui/confirm-dialog';
import { UserFilterBar } from './user-filter-bar';
import { CreateUserDialog, EditUserDialog } from './user-dialogs';
import { UsersTable } from './users-table';
import { PAGE_SIZE, useSetActive, useUsers, type UserFilters } from './users-api';
import { useDebounced } from './use-debounced';

const SEARCH_DEBOUNCE_MS = 300;

export function UsersPage() {
  const { user: me } = useSession();
  const [filters, setFilters] = useState<Omit<UserFilters, 'page'>>({ role: '', status: '', q: '' });
  const [page, setPage] = useState(1);
  const q = useDebounced(filters.q, SEARCH_DEBOUNCE_MS);
  const users = useUsers({ ...filters, q, page });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [toggling, setToggling] = useState<User | null>(null);
  const setActive = useSetActive();

  const changeFilters = (next: Omit<UserFilters, 'page'>) => {
    setFilters(next);
    setPage(1);
  };
  const closeToggle = () => {
    setToggling(null);
    setActive.reset();
  };

  const data = users.data;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.page_size)) : 1;
  const from = data && data.total > 0 ? (data.page - 1) * data.page_size + 1 : 0;
  const to = data ? from + data.items.length - (data.items.length > 0 ? 1 : 0) : 0;

  return (
    <>
      <PageHeader title={t('users.title')} description={t('users.description')} actions={<Button onClick={() => setCreating(true)}>{t('users.add')}</Button>} />
      <UserFilterBar value={filters} onChange={changeFilters} />
      {users.isPending ? (
        <Loading label={t('users.loading')} />
      ) : users.isError && !data ? (
        <ErrorPanel message={errorMessage(users.error)} onRetry={() => void users.refetch()} />
      ) : data ? (
        <div aria-busy={users.isFetching}>
          {users.isError ? <ErrorPanel message={errorMessage(users.error)} onRetry={() => void users.refetch()} /> : null}
          {data.items.length === 0 ? (
            <EmptyState message={t('users.empty')} />
          ) : (
            <UsersTable users={data.items} me={me} onEdit={setEditing} onToggle={setToggling} />
          )}
          <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
            <p role="status" className="text-slate-800">
              {data.total > 0 ? t('users.count', { from, to, total: data.total }) : ''}
            </p>
            {data.total > PAGE_SIZE ? (
              <div className="flex gap-2">
                <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => setPage((p) => Math.max(1, p - 1))}>
                  {t('users.prev')}
                </Button>
                <Button variant="secondary" size="sm" disabled={page >= lastPage} onClick={() => setPage((p) => Math.min(lastPage, p + 1))}>
                  {t('users.next')}
                </Button>
              </div>
            ) : null}
          </div>
        </div>
      ) : null}

      <CreateUserDialog open={creating} onOpenChange={setCreating} />
      {editing ? <EditUserDialog user={editing} self={editing.id === me?.id} onClose={() => setEditing(null)} /> : null}
      {toggling ? (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && closeToggle()}
          title={t(toggling.active ? 'users.deactivate.title' : 'users.activate.title', { name: toggling.name })}
          body={t(toggling.active ? 'users.deactivate.body' : 'users.activate.body', { email: toggling.email })}
          confirmLabel={t(toggling.active ? 'users.deactivate.confirm' : 'users.activate.confirm')}
          tone={toggling.active ? 'danger' : 'primary'}
          busy={setActive.isPending}
          error={setActive.error}
          onConfirm={() => setActive.mutate({ id: toggling.id, active: !toggling.active }, { onSuccess: closeToggle })}
        />
      ) : null}
    </>
  );
}
