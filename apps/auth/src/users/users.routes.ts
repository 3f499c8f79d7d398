import { Router } from 'express';
import { CreateUserRequest, UpdateUserRequest, UserIdParams, UserListQuery } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import { noStore } from '../http/no-store';
import type { UsersService } from './users.service';

export function usersRoutes(users: UsersService): Router {
  const r = Router();
  r.use('/api/admin/users', requireRole('admin'));
  r.get('/api/admin/users', async (req, res) => {
    res.json(await users.list(parse(UserListQuery, req.query, 'query')));
  });
  r.post('/api/admin/users', async (req, res) => {
    noStore(res);
    res.status(201).json(await users.create(identityOf(res), parse(CreateUserRequest, req.body)));
  });
  r.get('/api/admin/users/:id', async (req, res) => {
    res.json(await users.get(parse(UserIdParams, req.params, 'path').id));
  });
  const update = async (req: Parameters<Parameters<typeof r.patch>[1]>[0], res: Parameters<Parameters<typeof r.patch>[1]>[1]) => {
    const { id } = parse(UserIdParams, req.params, 'path');
    res.json(await users.update(identityOf(res), id, parse(UpdateUserRequest, req.body)));
  };
  r.patch('/api/admin/users/:id', update);
  r.put('/api/admin/users/:id', update);
  r.delete('/api/admin/users/:id', async (req, res) => {
    res.json(await users.setActive(identityOf(res), parse(UserIdParams, req.params, 'path').id, false));
  });
  r.post('/api/admin/users/:id/deactivate', async (req, res) => {
    res.json(await users.setActive(identityOf(res), parse(UserIdParams, req.params, 'path').id, false));
  });
  r.post('/api/admin/users/:id/activate', async (req, res) => {
    res.json(await users.setActive(identityOf(res), parse(UserIdParams, req.params, 'path').id, true));
  });
  return r;
}
