import { contracts, type RouteContract } from '@syntra/shared';
import { describe, expect, it } from 'vitest';
import { routeId } from '../src/http/route.js';
import { API_ROUTES } from '../src/routes.js';

// The console's client builds requests and checks answers from the same contracts the backend
// routes are built from; this holds the two tables to one another.
describe('route contracts', () => {
  const all = Object.entries(contracts) as [string, RouteContract][];

  it('every served route is a contract of @syntra/shared, with its very schemas', () => {
    for (const route of API_ROUTES) {
      const match = all.find(([, c]) => c.method === route.method && c.path === route.path);
      expect(match, `${routeId(route)} has a contract`).toBeDefined();
      const [name, c] = match!;
      for (const key of ['params', 'query', 'body', 'response'] as const) {
        expect(route[key], `${name}.${key}`).toBe(c[key]);
      }
    }
  });

  it('every contract is served by exactly one route', () => {
    for (const [name, c] of all) {
      expect(API_ROUTES.filter((r) => r.method === c.method && r.path === c.path).length, name).toBe(1);
    }
  });

  it('collection routes, and only they, are marked as taking the organisation from X-Org-Id', () => {
    for (const route of API_ROUTES) {
      const c = all.find(([, x]) => x.method === route.method && x.path === route.path)![1];
      const header = route.access.kind === 'org' && route.access.org === 'header';
      expect(c.orgHeader === true, routeId(route)).toBe(header);
    }
  });
});
