import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeId } from '../src/http/route.js';
import { API_ROUTES } from '../src/routes.js';
import { type MatrixCtx, ROUTE_FIXTURES } from './permission-matrix.fixtures.js';
import { arbitraryJson, arbitraryParam, pick, rng } from './support/fuzz.js';
import { casesFor, type Field, type FieldCase, fieldsOf, isBoundedString, jsonSchemaOf, serialise, type Where, withValue } from './support/malformed-cases.js';
import { startMatrixEnv } from './support/matrix-env.js';
import type { TestEnv } from './support/test-env.js';

let env: TestEnv;
let ctx: MatrixCtx;

beforeAll(async () => {
  ({ env, ctx } = await startMatrixEnv());
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

type Route = (typeof API_ROUTES)[number];
type Sent = { status: number; body: any };

/** Query and path values travel as text; a lone surrogate cannot be percent-encoded, so it becomes U+FFFD. */
const asParam = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)).replace(/[\ud800-\udfff]/g, '\ufffd');

/** The fixture's request with one location changed: the body, one query value or one path segment. */
function mutated(route: Route, req: { path: string; body?: unknown }, where: Where, key: string | null, value: unknown) {
  const url = new URL(req.path, 'http://x');
  if (where === 'body') return { path: req.path, body: value };
  if (where === 'query') {
    url.searchParams.set(key!, asParam(value));
    return { path: `${url.pathname}${url.search}`, body: req.body };
  }
  const pattern = route.path.split('/');
  const segments = url.pathname.split('/');
  const at = pattern.indexOf(`:${key}`);
  segments[at] = encodeURIComponent(asParam(value));
  return { path: `${segments.join('/')}${url.search}`, body: req.body };
}

/** What the route's own schema says about `input` (a query or path object, or the body). */
function schemaAccepts(route: Route, where: Where, input: unknown): boolean {
  const schema = route[where];
  return !!schema && schema.safeParse(input).success;
}

function inputOf(route: Route, req: { path: string; body?: unknown }, where: Where): Record<string, unknown> {
  const url = new URL(req.path, 'http://x');
  if (where === 'body') return (req.body ?? {}) as Record<string, unknown>;
  if (where === 'query') return Object.fromEntries(url.searchParams);
  const pattern = route.path.split('/');
  const segments = url.pathname.split('/');
  return Object.fromEntries(pattern.flatMap((p, i) => (p.startsWith(':') ? [[p.slice(1), decodeURIComponent(segments[i]!)]] : [])));
}

function expectNo5xx(res: Sent, label: string) {
  expect(res.status, `${label}: ${JSON.stringify(res.body)?.slice(0, 500)}`).toBeLessThan(500);
  if (res.status >= 400) expect(res.body?.success, `${label}: error envelope`).toBe(false);
}

function expect4xx(res: Sent, label: string) {
  expectNo5xx(res, label);
  expect(res.status, `${label}: refused, got ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(typeof res.body?.error?.code, `${label}: error code`).toBe('string');
}

const LOCATIONS: Where[] = ['params', 'query', 'body'];

/** Every (location, field, case) of a route, from its schemas. */
function generatedCases(route: Route): Array<{ where: Where; field: Field; c: FieldCase }> {
  return LOCATIONS.flatMap((where) => {
    const schema = route[where];
    if (!schema) return [];
    const fields = fieldsOf(jsonSchemaOf(schema)).filter((f) => where === 'body' || f.path.length === 1);
    return fields.flatMap((field) => casesFor(field, where).map((c) => ({ where, field, c })));
  });
}

describe('request schemas are bounded', () => {
  it('every string field of every request schema has a maximum length (or a closed set of values)', () => {
    const unbounded = API_ROUTES.flatMap((route) =>
      LOCATIONS.flatMap((where) => {
        const schema = route[where];
        if (!schema) return [];
        return fieldsOf(jsonSchemaOf(schema))
          .filter((f) => f.schema.type === 'string' && !isBoundedString(f.schema))
          .map((f) => `${routeId(route)} ${where}.${f.path.join('.')}`);
      }),
    );
    expect(unbounded).toEqual([]);
  });
});

describe('generated malformed input per route: NUL, over-length, cursors, numeric and date extremes, depth, wrong types', () => {
  for (const route of API_ROUTES) {
    const cases = generatedCases(route);
    if (cases.length === 0) continue;
    it(`${routeId(route)}: ${cases.length} cases, zero 5xx`, async () => {
      const req = await ROUTE_FIXTURES[routeId(route)]!.request(ctx, 'owner');
      for (const { where, field, c } of cases) {
        const key = where === 'body' ? null : String(field.path[0]);
        const base = inputOf(route, req, where);
        const input = where === 'body' ? withValue(base, field, c.value) : { ...base, [key!]: asParam(c.value) };
        const m = mutated(route, req, where, key, where === 'body' ? input : c.value);
        const label = `${where}.${field.path.join('.')} ${c.label}`;
        const res = await send(route, m.path, where === 'body' ? { rawBody: serialise(m.body), token: req.token } : { body: m.body, token: req.token });
        // The schema decides whether a value is acceptable; either way the server must not break.
        if (c.strict || !schemaAccepts(route, where, input)) {
          expect4xx(res, label);
          // Refused by the same zod pipeline as every field, naming it (a body too deep for the parser is refused as a whole).
          expect(res.body.error.code, label).toBe('VALIDATION_ERROR');
          if (!c.label.includes('10k')) expect(JSON.stringify(res.body.error.details), `${label}: names the field`).toContain(String(field.path[0]));
        } else expectNo5xx(res, label);
      }
      // A query key given twice arrives as an array, which no query field accepts.
      const url = new URL(req.path, 'http://x');
      for (const key of Object.keys((route.query as { shape?: object } | undefined)?.shape ?? {})) {
        const twice = new URL(url);
        twice.searchParams.delete(key);
        twice.searchParams.append(key, '1');
        twice.searchParams.append(key, '2');
        const res = await send(route, `${twice.pathname}${twice.search}`, { body: req.body, token: req.token });
        expect4xx(res, `query ${key} given twice`);
      }
    });
  }
});

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS_PER_ROUTE = 12;

describe(`seeded fuzz per route (FUZZ_SEED=${SEED}, ${RUNS_PER_ROUTE} runs each)`, () => {
  for (const route of API_ROUTES) {
    it(`${routeId(route)}: arbitrary JSON, zero 5xx`, async () => {
      const r = rng(SEED ^ [...routeId(route)].reduce((h, ch) => Math.imul(h, 31) + ch.charCodeAt(0), 7));
      const req = await ROUTE_FIXTURES[routeId(route)]!.request(ctx, 'owner');
      const present = LOCATIONS.filter((w) => route[w] || (w === 'body' && ['post', 'put', 'patch'].includes(route.method)));
      for (let run = 0; run < RUNS_PER_ROUTE; run += 1) {
        const where = present.length ? pick(r, present) : 'query';
        let m: { path: string; body?: unknown };
        if (where === 'body') {
          const base = (req.body ?? {}) as Record<string, unknown>;
          const keys = Object.keys(base);
          // Half the runs keep the valid body and replace one field, so validation gets past the first field.
          const body = keys.length && r() < 0.5 ? { ...base, [pick(r, keys)]: arbitraryJson(r) } : arbitraryJson(r);
          m = { path: req.path, body };
        } else {
          const shape = (route[where] as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
          const keys = Object.keys(shape).length ? Object.keys(shape) : ['x'];
          m = mutated(route, req, where === 'params' && keys.every((k) => !route.path.includes(`:${k}`)) ? 'query' : where, pick(r, keys), arbitraryParam(r));
        }
        const res = await send(route, m.path, { body: m.body, token: req.token });
        expectNo5xx(res, `FUZZ_SEED=${SEED} run ${run} ${where}: ${JSON.stringify(m).slice(0, 400)}`);
      }
    });
  }
});
