/**
 * Malformed-input cases generated from a route's zod schemas (through their JSON Schema), so a new
 * route or field is covered without anyone writing its cases. Each case says whether the schema
 * must refuse it (`strict`: NUL, over-length, cursor shapes, date extremes, deep nesting, wrong
 * types) or whether only "never a 5xx" holds (numbers the field may or may not allow).
 */
import { z } from 'zod';

export type JsonSchema = Record<string, any>;
export type Where = 'body' | 'query' | 'params';

export interface Field {
  /** Property names (strings) and array positions (0) from the top of the input. */
  path: Array<string | number>;
  schema: JsonSchema;
  /** Sibling values a union variant needs to be chosen (its discriminator). */
  extra: Array<{ path: Array<string | number>; value: unknown }>;
}

export interface FieldCase {
  label: string;
  value: unknown;
  strict: boolean;
}

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** The non-null variants of a node (`anyOf: [X, null]` → X). */
function variants(node: JsonSchema): JsonSchema[] {
  const list = (node.anyOf ?? node.oneOf) as JsonSchema[] | undefined;
  if (!list) return [node];
  return list.filter((v) => v.type !== 'null').flatMap(variants);
}

/** Every field reachable from `root`, to a few levels: objects' properties, union variants, array items, record values. */
export function fieldsOf(root: JsonSchema): Field[] {
  const out: Field[] = [];
  const walk = (node: JsonSchema, path: Field['path'], extra: Field['extra'], depth: number) => {
    for (const v of variants(node)) {
      if (path.length > 0) out.push({ path, schema: v, extra });
      if (depth >= 3) continue;
      if (v.type === 'object' && v.properties) {
        const consts = Object.entries(v.properties as Record<string, JsonSchema>)
          .filter(([, p]) => p.const !== undefined)
          .map(([k, p]) => ({ path: [...path, k], value: p.const }));
        for (const [key, prop] of Object.entries(v.properties as Record<string, JsonSchema>)) {
          if (prop.const === undefined) walk(prop, [...path, key], [...extra, ...consts], depth + 1);
        }
      } else if (v.type === 'object' && v.additionalProperties && typeof v.additionalProperties === 'object') {
        walk(v.additionalProperties as JsonSchema, [...path, 'SYNTRA_CASE'], extra, depth + 1);
      } else if (v.type === 'array' && v.items) {
        walk(v.items as JsonSchema, [...path, 0], extra, depth + 1);
      }
    }
  };
  walk(root, [], [], 0);
  return out;
}

/** A string field is bounded by a maximum length, a closed set of values, or a fixed format. */
export function isBoundedString(node: JsonSchema): boolean {
  return node.maxLength !== undefined || node.enum !== undefined || node.const !== undefined || node.format === 'uuid';
}

/**
 * Stands for a value nested `depth` levels deep in a body: JSON.stringify itself overflows on
 * 10k levels, so `serialise` writes it out as text.
 */
export const deepMarker = (depth: number) => `__SYNTRA_DEEP_${depth}__`;

/** The JSON text of a body, with every deepMarker expanded. */
export function serialise(body: unknown): string {
  return JSON.stringify(body).replace(/"__SYNTRA_DEEP_(\d+)__"/g, (_m, n: string) => `${'{"a":'.repeat(Number(n))}1${'}'.repeat(Number(n))}`);
}

export function nested(depth: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i += 1) v = { a: v };
  return v;
}

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64url');
const ISO = '2026-01-01T00:00:00.000Z';

/**
 * Fields whose strings are hashed, never stored: any character is allowed in them (NIST 800-63B
 * asks verifiers to accept every character in a password), so NUL is only held to "never a 5xx".
 */
const NUL_ALLOWED = new Set(['password']);

function stringCases(node: JsonSchema, name: string, where: Where): FieldCase[] {
  const cases: FieldCase[] = [
    { label: 'NUL byte', value: 'a\u0000b', strict: !NUL_ALLOWED.has(name) },
    // Query and path values past ~16 kB are refused by Node's HTTP parser before the app sees them.
    { label: 'over-length', value: 'a'.repeat(Math.min((node.maxLength ?? 100_000) + 1, where === 'body' ? Infinity : 8000)), strict: true },
  ];
  if (where === 'body') cases.push({ label: 'wrong type (number)', value: 12345, strict: true });
  if (name === 'cursor') {
    cases.push(
      { label: 'cursor 1|x', value: b64('1|x'), strict: true },
      { label: 'cursor bare uuid', value: crypto.randomUUID(), strict: true },
      { label: 'cursor garbage', value: 'not a cursor!!', strict: true },
      { label: 'cursor base64 junk', value: b64('\u0000\u00ff\u0001junk|'), strict: true },
      { label: 'cursor year 0', value: b64(`0000-01-01T00:00:00.000Z|${crypto.randomUUID()}`), strict: true },
      { label: 'cursor Feb 30', value: b64(`2024-02-30T00:00:00.000Z|1`), strict: true },
      { label: 'cursor int8 overflow', value: b64(`${ISO}|99999999999999999999`), strict: true },
      { label: 'cursor serial id', value: b64(`${ISO}|42`), strict: false },
      { label: 'cursor uuid id', value: b64(`${ISO}|${crypto.randomUUID()}`), strict: false },
      { label: 'cursor plain number', value: '9223372036854775808', strict: false },
      { label: 'cursor huge', value: 'A'.repeat(10_000), strict: true },
    );
  }
  if (node.format === 'date-time') {
    for (const v of ['0000-01-01T00:00:00Z', '99999-12-31T00:00:00Z', '2024-02-30T00:00:00Z', '0000-01-01', '99999-01-01']) {
      cases.push({ label: `date ${v}`, value: v, strict: true });
    }
  }
  if (node.format === 'uuid') cases.push({ label: 'not a uuid', value: 'not-a-uuid', strict: true }, { label: 'nil uuid', value: '00000000-0000-0000-0000-000000000000', strict: false });
  return cases;
}

function numberCases(node: JsonSchema, where: Where): FieldCase[] {
  const values = where === 'body'
    ? [2 ** 53, -(2 ** 53), 2 ** 31, -(2 ** 31) - 1, -1, 0, 1.5, 1e300]
    : ['9007199254740991', '-9007199254740992', '2147483648', '-2147483649', '-1', '1.5', 'NaN', 'Infinity', '1e400', '0x10', ''];
  const cases: FieldCase[] = values.map((v) => ({ label: `number ${String(v)}`, value: v, strict: false }));
  if (where === 'body') cases.push({ label: 'number as string', value: 'NaN', strict: node.type === 'integer' || node.type === 'number' });
  return cases;
}

function objectCases(node: JsonSchema): FieldCase[] {
  const free = node.additionalProperties !== undefined && node.additionalProperties !== false;
  const cases: FieldCase[] = [{ label: 'wrong type (array for object)', value: ['x'], strict: true }];
  if (free) {
    cases.push(
      { label: 'nested 10k deep', value: deepMarker(10_000), strict: true },
      { label: 'nested 40 deep', value: nested(40), strict: true },
      { label: 'NUL in a key', value: { 'A\u0000B': 'v' }, strict: true },
      { label: 'over-length key', value: { ['K'.repeat((node.propertyNames?.maxLength ?? 10_000) + 1)]: 'v' }, strict: true },
    );
    // Free-form values (z.unknown()): a NUL deep inside.
    if (Object.keys(node.additionalProperties as object).length === 0) cases.push({ label: 'NUL deep in a value', value: { a: { b: ['x\u0000'] } }, strict: true });
  }
  return cases;
}

/** The cases of one field, by its JSON Schema type. Query and path values are strings. */
export function casesFor(field: Field, where: Where): FieldCase[] {
  const node = field.schema;
  const name = String(field.path[field.path.length - 1]);
  if (where !== 'body' && node.type !== 'string' && node.type !== 'integer' && node.type !== 'number') {
    return [{ label: 'NUL byte', value: 'a\u0000b', strict: node.type !== 'boolean' && !node.enum }];
  }
  switch (node.type) {
    case 'string':
      return node.enum || node.const !== undefined
        ? [{ label: 'not one of the values', value: 'a\u0000b', strict: true }, ...(where === 'body' ? [{ label: 'wrong type', value: 7, strict: true }] : [])]
        : stringCases(node, name, where);
    case 'integer':
    case 'number':
      return numberCases(node, where);
    case 'boolean':
      return [{ label: 'boolean as string', value: 'yes', strict: where === 'body' }];
    case 'object':
      return objectCases(node);
    case 'array':
      return [{ label: 'wrong type (object for array)', value: { not: 'an array' }, strict: true }];
    default:
      // z.unknown(): any JSON, so only depth and NUL are wrong.
      return [
        { label: 'nested 10k deep', value: deepMarker(10_000), strict: true },
        { label: 'NUL deep in a value', value: { a: ['x\u0000'] }, strict: true },
      ];
  }
}

/** `base` with `value` at `path` (and the field's discriminators), creating containers on the way. */
export function withValue(base: unknown, field: Field, value: unknown): unknown {
  const root = structuredClone(base ?? {}) as Record<string | number, unknown>;
  const set = (path: Field['path'], v: unknown) => {
    let node = root;
    path.forEach((key, i) => {
      if (i === path.length - 1) return void (node[key] = v);
      const next = path[i + 1];
      const child = node[key];
      if (child === null || typeof child !== 'object') node[key] = typeof next === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    });
  };
  for (const e of field.extra) set(e.path, e.value);
  set(field.path, value);
  return root;
}
