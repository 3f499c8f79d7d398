import { z } from 'zod';
import { ErrorBody, ERROR_STATUS, type RouteDef } from '@inkwell/contracts';

type JsonSchema = Record<string, unknown>;

const schemaOf = (s: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
};

function parameters(obj: z.ZodObject | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!obj) return [];
  const json = schemaOf(obj, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema,
  }));
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } });

function operation(r: RouteDef): JsonSchema {
  const responses: Record<string, unknown> = {};
  for (const [status, resp] of Object.entries(r.responses)) {
    responses[status] = resp.schema
      ? { description: resp.description, content: { [resp.contentType ?? 'application/json']: { schema: schemaOf(resp.schema, 'output') } } }
      : { description: resp.description };
  }
  responses['400'] ??= errorResponse('Invalid request (validation_failed)');
  if (r.access !== 'public' && r.access !== 'guest') {
    responses['401'] ??= errorResponse('Not signed in (unauthorized)');
    responses['403'] ??= errorResponse('Role too low (forbidden)');
  }
  responses['429'] ??= errorResponse('Rate limited (rate_limited)');
  responses['503'] ??= errorResponse('Service unavailable (service_unavailable)');

  const op: JsonSchema = {
    operationId: `${r.method}${r.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: r.summary,
    tags: [r.tag],
    'x-access': r.access,
    parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
    responses,
  };
  if (r.access === 'public' || r.access === 'guest') op.security = [{}, { bearer: [] }, { apiKey: [] }, { cookie: [] }];
  if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } };
  if (r.multipart) {
    const properties: Record<string, unknown> = {};
    for (const f of r.multipart.files) properties[f] = { type: 'string', format: 'binary' };
    for (const [k, s] of Object.entries(r.multipart.fields)) properties[k] = schemaOf(s, 'input');
    op.requestBody = { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties, required: [...r.multipart.files] } } } };
  }
  return op;
}

/** The OpenAPI 3.1 document, generated from the same route table the gateway serves. */
export function buildOpenApiDocument(routes: readonly RouteDef[], serverUrl: string, version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) (paths[r.path] ??= {})[r.method] = operation(r);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Inkwell API',
      version,
      description: `Handwritten-digit OCR and its model lifecycle. Every error is an ErrorBody; codes and statuses: ${Object.entries(ERROR_STATUS).map(([c, s]) => `${c} ${s}`).join(', ')}.`,
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { apiKey: [] }, { cookie: [] }],
    paths,
    components: {
      schemas: { ErrorBody: schemaOf(ErrorBody, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'inkwell_access' },
      },
    },
  };
}
