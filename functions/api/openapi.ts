// The OpenAPI 3.1 document, made from the route table and its zod schemas, so it cannot drift from the code.
import { z } from 'zod';
import { PERMISSIONS } from '../../shared/domain/auth/permissions';
import { ErrorBodySchema } from './http_error';
import type { Route } from './route';

type JsonSchema = Record<string, unknown>;

/** Answers any route may give besides its own: the error shape, with the statuses that apply to it. */
function errorResponses(route: Route): Record<string, { description: string; content: { 'application/json': { schema: JsonSchema } } }> {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  const statuses: Record<string, string> = {
    '400': 'The request is malformed or has invalid fields.',
    '404': 'No such resource in your tenant.',
    '409': 'The resource is not in a state that allows this.',
    '413': 'The body is too large.',
    '415': 'The body is not JSON.',
    '429': 'Too many requests; see Retry-After.',
    '500': 'The request failed on our side.',
  };
  if (route.permission !== null) {
    Object.assign(statuses, { '401': 'No valid credential.', '403': "The caller's role lacks the permission this needs." });
  }
  if (['POST', 'PATCH', 'PUT', 'DELETE'].includes(route.method)) Object.assign(statuses, { '422': 'The request is well-formed but cannot be applied.', '503': 'A service this needs is unavailable; nothing was changed.' });
  if (route.method === 'PATCH') statuses['412'] = 'If-Match does not match the current version.';
  return Object.fromEntries(Object.entries(statuses).map(([status, description]) => [status, error(description)]));
}

interface SchemaRegistry {
  /** Converts a schema; named schemas (.meta({id})) go to components and are referenced. */
  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema;
  components: Record<string, JsonSchema>;
}

function schemaRegistry(): SchemaRegistry {
  const components: Record<string, JsonSchema> = {};
  return {
    components,
    convert(schema, io) {
      const raw = JSON.stringify(z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }));
      // Named schemas land in the schema's own $defs: they become shared components.
      const converted = JSON.parse(raw.replace(/"#\/\$defs\//g, '"#/components/schemas/')) as JsonSchema;
      const { $schema: _schema, $defs, ...rest } = converted as JsonSchema & { $defs?: Record<string, JsonSchema> };
      for (const [id, definition] of Object.entries($defs ?? {})) components[id] = definition;
      const id = (rest as { id?: string }).id;
      if (typeof id === 'string') {
        const { id: _id, ...definition } = rest as JsonSchema & { id: string };
        components[id] = definition;
        return { $ref: `#/components/schemas/${id}` };
      }
      return rest;
    },
  };
}

function parametersOf(route: Route, registry: SchemaRegistry): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  const add = (where: 'path' | 'query', schema: z.ZodType | undefined) => {
    if (schema === undefined) return;
    const object = registry.convert(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      // A repeatable parameter (string or list of strings) is a list in the query string: ?filter=a&filter=b.
      const repeatable = ((property.anyOf as JsonSchema[] | undefined) ?? []).some((option) => option.type === 'array');
      parameters.push({
        name,
        in: where,
        required: where === 'path' || (object.required ?? []).includes(name),
        ...(typeof property.description === 'string' ? { description: property.description } : {}),
        schema: repeatable ? { type: 'array', items: { type: 'string' } } : property,
        ...(repeatable ? { style: 'form', explode: true } : {}),
      });
    }
  };
  add('path', route.params);
  add('query', route.query);
  return parameters;
}

function operationOf(route: Route, registry: SchemaRegistry): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const content =
      spec.schema !== undefined
        ? { 'application/json': { schema: registry.convert(spec.schema, 'output') } }
        : spec.contentTypes !== undefined
          ? Object.fromEntries(spec.contentTypes.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }]))
          : undefined;
    responses[status] = content === undefined ? { description: spec.description } : { description: spec.description, content };
  }
  Object.assign(responses, errorResponses(route));
  const operation: JsonSchema = {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    parameters: parametersOf(route, registry),
    responses,
    security: route.permission === null ? [] : [{ firebaseIdToken: [] }, { apiKey: [] }],
    'x-aiprod-permission': route.permission,
  };
  if (route.body !== undefined) {
    const schema = registry.convert(route.body, 'input');
    operation.requestBody = { required: !route.body.safeParse(undefined).success, content: { 'application/json': { schema } } };
  }
  return operation;
}

/** The OpenAPI 3.1 document of these routes. */
export function openApiDocument(routes: readonly Route[], version: string): JsonSchema {
  const registry = schemaRegistry();
  registry.components.Error = registry.convert(ErrorBodySchema, 'output');
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operationOf(route, registry);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'AIPROD API',
      version,
      description: `Turns marketing briefs into finished, checked video ads. Every route names the permission it needs (x-aiprod-permission); roles hold permissions: ${PERMISSIONS.join(', ')}.`,
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: registry.components,
      securitySchemes: {
        firebaseIdToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Firebase ID token whose custom claims carry tenant and role.' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  };
}
