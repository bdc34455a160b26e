import { z } from 'zod';
import { ErrorEnvelopeSchema, PERMISSIONS } from '@syntra/shared';
import type { AnyRoute } from './route.js';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  // A union of objects (a body discriminated by `kind`, say) is still an object: saying so lets
  // clients and the docs treat it as one body with variants.
  const variants = (json.oneOf ?? json.anyOf) as JsonSchema[] | undefined;
  if (!json.type && variants?.length && variants.every((v) => v.type === 'object')) json.type = 'object';
  return json;
}

function parametersOf(route: AnyRoute) {
  const params: unknown[] = [];
  const add = (schema: z.ZodType | undefined, location: 'path' | 'query') => {
    if (!schema) return;
    const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      params.push({ name, in: location, required: location === 'path' || (json.required ?? []).includes(name), schema: prop });
    }
  };
  add(route.params, 'path');
  add(route.query, 'query');
  return params;
}

function securityOf(route: AnyRoute) {
  if (route.access.kind === 'public') return { security: [] };
  const note =
    route.access.kind === 'org'
      ? `Roles: ${PERMISSIONS[route.access.permission].roles.join(', ')} (permission \`${route.access.permission}\`, token scope \`${PERMISSIONS[route.access.permission].scope}\`).`
      : `Any signed-in user (token scope \`${route.access.scope}\`${route.access.accountWide ? '; not with a token bound to an organisation' : ''}).`;
  return { security: [{ bearer: [] }], 'x-syntra-access': route.access.kind, description: note };
}

/** OpenAPI 3.1 generated from the route table: the same zod schemas the router validates with. */
export function buildOpenApi(routes: readonly AnyRoute[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const status = String(route.status ?? 200);
    const success =
      status === '204' || route.raw
        ? { description: route.response.description ?? 'No content' }
        : {
            description: 'Success',
            content: { 'application/json': { schema: { type: 'object', required: ['success', 'data'], properties: { success: { const: true }, data: schemaOf(route.response, 'output') } } } },
          };
    paths[path] ??= {};
    paths[path][route.method] = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method}_${route.path.replace(/^\/api\/v1\//, '').replace(/[/:]+/g, '_')}`,
      parameters: parametersOf(route),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } } } : {}),
      ...securityOf(route),
      responses: {
        [status]: success,
        default: { description: 'Error envelope', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Syntra API', version: '1' },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Session token or API token' } },
      schemas: { ErrorEnvelope: schemaOf(ErrorEnvelopeSchema, 'output') },
    },
  };
}
