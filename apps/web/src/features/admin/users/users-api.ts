import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateUserResponse, User, UserList, type CreateUserRequest, type Role, type UpdateUserRequest } from '@inkwell/contracts';
import { toast } from 'sonner';
import { api } from '../../../api/api-client';
import { t } from '../../../i18n/i18n';

export interface UserFilters {
  readonly role: Role | '';
  readonly status: 'active' | 'inactive' | '';
  readonly q: string;
  readonly page: number;
}

export const PAGE_SIZE = 25;
const USERS_KEY = ['admin', 'users'] as const;

/**
 * One user by id (who created an API key, who owns a batch job): one cache entry per user whichever
 * page asks, under the users key so a change to the user refreshes it too.
 */
export const userByIdQuery = (id: string) =>
  queryOptions({
    queryKey: [...USERS_KEY, 'one', id],
    queryFn: ({ signal }) => api('get', '/api/admin/users/{id}', { params: { id }, schema: User, signal }),
    staleTime: 5 * 60_000,
  });

/** One page of users for these filters; the previous page stays on screen while the next loads. */
export function useUsers(filters: UserFilters) {
  return useQuery({
    queryKey: [...USERS_KEY, filters],
    queryFn: ({ signal }) =>
      api('get', '/api/admin/users', {
        query: { role: filters.role || undefined, status: filters.status || undefined, q: filters.q.trim() || undefined, page: filters.page, page_size: PAGE_SIZE },
        schema: UserList,
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** Every user mutation: the list is stale afterwards, and the admin hears that it worked. */
function useUserMutation<V, R>(run: (vars: V) => Promise<R>, success: (result: R) => string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    // A created user's temporary password is in the result: gone from the cache as soon as the
    // dialog that shows it lets go of it (reset or unmount), not 5 minutes later.
    gcTime: 0,
    onSuccess: async (result) => {
      toast.success(success(result));
      await client.invalidateQueries({ queryKey: USERS_KEY });
    },
  });
}

export const useCreateUser = () =>
  useUserMutation(
    (body: CreateUserRequest) => api('post', '/api/admin/users', { body, schema: CreateUserResponse }),
    (created) => t('users.created.toast', { name: created.user.name }),
  );

export const useUpdateUser = () =>
  useUserMutation(
    ({ id, body }: { readonly id: string; readonly body: UpdateUserRequest }) => api('patch', '/api/admin/users/{id}', { params: { id }, body, schema: User }),
    (user) => t('users.edit.toast', { name: user.name }),
  );

/** Deactivating ends the user's sessions at once (the server revokes their tokens). */
export const useSetActive = () =>
  useUserMutation(
    ({ id, active }: { readonly id: string; readonly active: boolean }) =>
      active ? api('post', '/api/admin/users/{id}/activate', { params: { id }, schema: User }) : api('post', '/api/admin/users/{id}/deactivate', { params: { id }, schema: User }),
    (user) => t(user.active ? 'users.activate.toast' : 'users.deactivate.toast', { name: user.name }),
  );
