import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeId } from '../src/http/route.js';
import { API_ROUTES } from '../src/routes.js';
import { type MatrixCtx, ROUTE_FIXTURES } from './permission-matrix.fixtures.js';
import { addMember, apiClient, registerAccount } from './support/api-client.js';
import { startTestEnv, type TestEnv } from './support/test-env.js';

let env: TestEnv;
let ctx: MatrixCtx;

beforeAll(async () => {
  env = await startTestEnv();
  const api = apiClient(env.url);
  const owner = await registerAccount(api, 'owner');
  const accounts = { owner } as MatrixCtx['accounts'];
  for (const role of ['admin', 'developer', 'viewer'] as const) {
    accounts[role] = await registerAccount(api, role);
    await addMember(api, owner, accounts[role], role);
  }
  accounts.outsider = await registerAccount(api, 'outsider');
  ctx = { api, env, owner, accounts };
});
afterAll(() => env.close());

/** A value of a different JSON type than `value`. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not a number';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return { not: 'an array' };
  if (value && typeof value === 'object') return 7;
  return ['unexpected'];
}

const bodyRoutes = API_ROUTES.filter((r) => r.body);
const queryRoutes = API_ROUTES.filter((r) => r.query);
const uuidParamRoutes = API_ROUTES.filter((r) => /:(\w*[iI]d)\b/.test(r.path));

async function send(route: (typeof API_ROUTES)[number], path: string, opts: { body?: unknown; rawBody?: string; token?: string | undefined }) {
  return ctx.api.request(route.method.toUpperCase(), path, opts.body, { token: opts.token ?? ctx.owner.token, ...(opts.rawBody !== undefined ? { rawBody: opts.rawBody } : {}) });
}

function expectClientError(res: { status: number; body: any }, label: string, codes = ['VALIDATION_ERROR']) {
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, label).toBeLessThan(500);
  expect(res.body.success, label).toBe(false);
  expect(codes, `${label}: code ${res.body.error?.code}`).toContain(res.body.error.code);
}

describe('malformed input never causes a 5xx', () => {
  for (const route of bodyRoutes) {
    const id = routeId(route);
    it(`${id}: bad JSON, wrong types, missing fields, huge strings`, async () => {
      const fixture = ROUTE_FIXTURES[id]!;
      const req = await fixture.request(ctx, 'owner');
      const token = req.token;
      const base = (req.body ?? {}) as Record<string, unknown>;

      expectClientError(await send(route, req.path, { rawBody: '{"email": "x",', token }), 'bad JSON');
      expectClientError(await send(route, req.path, { rawBody: '[1,2,3]', token }), 'array body');
      expectClientError(await send(route, req.path, { rawBody: 'null', token }), 'null body');

      for (const key of Object.keys(base)) {
        const res = await send(route, req.path, { body: { ...base, [key]: wrongType(base[key]) }, token });
        expectClientError(res, `wrong type for ${key}`);
        expect(JSON.stringify(res.body.error.details), `details name ${key}`).toContain(key);
      }

      const required = Object.keys(base);
      if (required.length > 0) {
        const res = await send(route, req.path, { body: {}, token });
        // Every field optional is allowed (e.g. partial updates refuse an empty patch): only a 2xx here would be wrong for required fields.
        if (res.status < 300) expect(route.body!.safeParse({}).success, 'empty body accepted only when valid').toBe(true);
        else expectClientError(res, 'missing fields');
      }

      for (const key of Object.keys(base).filter((k) => typeof base[k] === 'string')) {
        expectClientError(await send(route, req.path, { body: { ...base, [key]: 'x'.repeat(100_000) }, token }), `100 kB ${key}`);
      }
      expectClientError(await send(route, req.path, { body: { ...base, padding: 'x'.repeat(2_000_000) }, token }), '2 MB body', ['PAYLOAD_TOO_LARGE']);
    });
  }

  for (const route of queryRoutes) {
    it(`${routeId(route)}: bad query values`, async () => {
      const req = await ROUTE_FIXTURES[routeId(route)]!.request(ctx, 'owner');
      const url = new URL(req.path, 'http://x');
      const shape = (route.query as { shape?: Record<string, unknown> }).shape ?? {};
      for (const key of Object.keys(shape)) {
        const bad = new URL(url);
        bad.searchParams.set(key, key === 'limit' ? 'lots' : 'x'.repeat(5000));
        const res = await send(route, `${bad.pathname}${bad.search}`, { token: req.token });
        // A free-text query parameter may legitimately accept a long value; it must never break the server.
        expect(res.status, `${key}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        if (key === 'limit' || key === 'cursor') expectClientError(res, `query ${key}`);
      }
    });
  }

  for (const route of uuidParamRoutes) {
    it(`${routeId(route)}: a malformed id is a 400, not a database error`, async () => {
      const path = route.path.replace(/:(\w*[iI]d)\b/g, 'not-a-uuid').replace(/:(\w+)/g, 'x');
      expectClientError(await send(route, path, { body: route.body ? {} : undefined }), 'malformed id', ['VALIDATION_ERROR', 'NOT_FOUND']);
    });
  }
});
