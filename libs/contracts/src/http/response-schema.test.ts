import { describe, expect, it } from 'vitest';
import { ApiConfig, User } from '../auth/auth-http';
import { BatchApiConfig } from '../batch/batch-http';
import { assertDeclaredResponseSchema, ResponseSchemaMismatch } from './response-schema';

describe('assertDeclaredResponseSchema', () => {
  it('accepts the schema the route table declares for the success answer', () => {
    expect(() => assertDeclaredResponseSchema('get', '/api/admin/batch-config', BatchApiConfig)).not.toThrow();
    expect(() => assertDeclaredResponseSchema('get', '/api/admin/batch-config', BatchApiConfig, 200)).not.toThrow();
    expect(() => assertDeclaredResponseSchema('post', '/api/admin/users/u1/activate', User, 200)).not.toThrow();
  });

  it("refuses another route's schema on a valid path (a page reading the wrong route)", () => {
    expect(() => assertDeclaredResponseSchema('get', '/api/admin/api-config', BatchApiConfig)).toThrow(ResponseSchemaMismatch);
    expect(() => assertDeclaredResponseSchema('get', '/api/admin/api-config', BatchApiConfig, 200)).toThrow(/GET \/api\/admin\/api-config .*declares one for 200/);
    // The right object, but for a status the table gives another shape (or none).
    expect(() => assertDeclaredResponseSchema('get', '/api/admin/api-config', ApiConfig, 201)).toThrow(ResponseSchemaMismatch);
  });

  it('refuses a structurally equal copy: only the declared object itself counts', () => {
    expect(() => assertDeclaredResponseSchema('get', '/api/auth/me', User.extend({}))).toThrow(ResponseSchemaMismatch);
  });

  it('lets a caller ignore the body, and refuses a path the table does not have', () => {
    expect(() => assertDeclaredResponseSchema('delete', '/api/admin/api-keys/k1', undefined, 204)).not.toThrow();
    expect(() => assertDeclaredResponseSchema('get', '/api/nope', User)).toThrow(/not in the route table/);
  });
});
