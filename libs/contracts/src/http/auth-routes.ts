import { z } from 'zod';
import {
  ApiConfig, ApiKeyIdParams, ApiKeyList, ChangePasswordRequest, CreateApiKeyRequest, CreateApiKeyResponse,
  CreateUserRequest, CreateUserResponse, LoginRequest, RefreshRequest, TokenResponse, UpdateUserRequest, User,
  UserIdParams, UserList, UserListQuery,
} from '../auth/auth-http';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType) => ({ description, ...(schema ? { schema } : {}) });

export const AUTH_ROUTES = defineRoutes([
  { method: 'post', path: '/api/auth/login', service: 'auth', access: 'public', tag: 'auth', summary: 'Sign in with email and password', body: LoginRequest, responses: { 200: ok('Tokens (also set as httpOnly cookies)', TokenResponse) } },
  { method: 'post', path: '/api/auth/refresh', service: 'auth', access: 'public', tag: 'auth', summary: 'Rotate a refresh token for new tokens', body: RefreshRequest, responses: { 200: ok('New tokens', TokenResponse) } },
  { method: 'post', path: '/api/auth/logout', service: 'auth', access: 'public', tag: 'auth', allowDuringPasswordChange: true, summary: 'Revoke the session at once', body: RefreshRequest, responses: { 204: ok('Signed out') } },
  { method: 'get', path: '/api/auth/me', service: 'auth', access: 'viewer', tag: 'auth', allowDuringPasswordChange: true, summary: 'The signed-in user', responses: { 200: ok('The user', User) } },
  { method: 'post', path: '/api/auth/password', service: 'auth', access: 'viewer', tag: 'auth', allowDuringPasswordChange: true, summary: 'Change one\'s own password (ends every session; answers a new one)', body: ChangePasswordRequest, responses: { 200: ok('Changed: new tokens (also set as httpOnly cookies), without the password-change mark', TokenResponse) } },
  { method: 'get', path: '/api/admin/users', service: 'auth', access: 'admin', tag: 'admin', summary: 'List users (filter by role/status, search name/email)', query: UserListQuery, responses: { 200: ok('A page of users', UserList) } },
  { method: 'post', path: '/api/admin/users', service: 'auth', access: 'admin', tag: 'admin', summary: 'Create a user with a one-time temporary password', body: CreateUserRequest, responses: { 201: ok('Created', CreateUserResponse) } },
  { method: 'get', path: '/api/admin/users/{id}', service: 'auth', access: 'admin', tag: 'admin', summary: 'One user', params: UserIdParams, responses: { 200: ok('The user', User) } },
  { method: 'patch', path: '/api/admin/users/{id}', service: 'auth', access: 'admin', tag: 'admin', summary: 'Edit a user', params: UserIdParams, body: UpdateUserRequest, responses: { 200: ok('Updated', User) } },
  { method: 'put', path: '/api/admin/users/{id}', service: 'auth', access: 'admin', tag: 'admin', summary: 'Edit a user (PRD alias of PATCH)', params: UserIdParams, body: UpdateUserRequest, responses: { 200: ok('Updated', User) } },
  { method: 'delete', path: '/api/admin/users/{id}', service: 'auth', access: 'admin', tag: 'admin', summary: 'Deactivate a user (soft)', params: UserIdParams, responses: { 200: ok('Deactivated', User) } },
  { method: 'post', path: '/api/admin/users/{id}/activate', service: 'auth', access: 'admin', tag: 'admin', summary: 'Re-activate a user', params: UserIdParams, responses: { 200: ok('Activated', User) } },
  { method: 'post', path: '/api/admin/users/{id}/deactivate', service: 'auth', access: 'admin', tag: 'admin', summary: 'Deactivate a user; their tokens stop working at once', params: UserIdParams, responses: { 200: ok('Deactivated', User) } },
  { method: 'get', path: '/api/admin/api-keys', service: 'auth', access: 'admin', tag: 'admin', summary: 'List API keys with last use', responses: { 200: ok('Keys', ApiKeyList) } },
  { method: 'post', path: '/api/admin/api-keys', service: 'auth', access: 'admin', tag: 'admin', summary: 'Create an API key (secret shown once)', body: CreateApiKeyRequest, responses: { 201: ok('Created', CreateApiKeyResponse) } },
  { method: 'delete', path: '/api/admin/api-keys/{id}', service: 'auth', access: 'admin', tag: 'admin', summary: 'Revoke an API key', params: ApiKeyIdParams, responses: { 204: ok('Revoked') } },
  { method: 'get', path: '/api/admin/api-config', service: 'auth', access: 'admin', tag: 'admin', summary: 'Public endpoint, env key status, rate limits, examples', responses: { 200: ok('API configuration', ApiConfig) } },
] as const);
