/* Compile-time checks of the route-table typing (typecheck only; nothing here runs). */
import { UserList } from '@inkwell/contracts';
import { api } from './api-client';

export async function typeChecks(): Promise<void> {
  // A route of the table, with its query typed by the table.
  await api('get', '/api/admin/users', { query: { q: 'ann' }, schema: UserList });
  // @ts-expect-error a path the route table does not have
  await api('get', '/api/admin/nope', {});
  // @ts-expect-error the method the table gives this path is GET, not POST
  await api('post', '/api/auth/me', {});
  // @ts-expect-error a templated path needs its parameters
  await api('post', '/api/admin/users/{id}/activate', {});
  await api('post', '/api/admin/users/{id}/activate', { params: { id: 'u1' } });
  // @ts-expect-error the login body is typed by the table
  await api('post', '/api/auth/login', { body: { email: 1 } });
}
