import { describe, expect, it } from 'vitest';
import { matchRoute, PUBLIC_ROUTES } from './routes';

describe('matchRoute', () => {
  it('matches literal and templated paths by method', () => {
    expect(matchRoute('GET', '/api/auth/me')?.path).toBe('/api/auth/me');
    expect(matchRoute('PATCH', '/api/admin/users/3f2a')?.path).toBe('/api/admin/users/{id}');
    expect(matchRoute('POST', '/api/admin/users/3f2a/activate')?.path).toBe('/api/admin/users/{id}/activate');
  });

  it('prefers a literal path over a template that also matches', () => {
    expect(matchRoute('GET', '/api/models/compare')?.path).toBe('/api/models/compare');
  });

  it('answers null for an unknown path, a wrong method or a deeper path', () => {
    expect(matchRoute('GET', '/api/nope')).toBeNull();
    expect(matchRoute('DELETE', '/api/auth/me')).toBeNull();
    expect(matchRoute('GET', '/api/admin/users/1/extra')).toBeNull();
  });
});

describe('the route table', () => {
  it('has each method and path once (a second entry would never be reached through the gateway)', () => {
    const keys = PUBLIC_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});
