import type { z } from 'zod';
import { matchRoute } from './routes';

/**
 * The route table's response schemas are typed loosely (`z.ZodType`), so a client cannot take a
 * call's result type from the table; it names the schema itself. This check keeps that honest at
 * run time: the schema a caller parses a success body with must be the very object the table
 * declares for that answer, or the call is a developer mistake (a page reading one route with
 * another route's shape parses nothing and fails quietly).
 */
export class ResponseSchemaMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseSchemaMismatch';
  }
}

const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/**
 * Throws ResponseSchemaMismatch unless `schema` is the schema the route table declares for
 * `method path` (a concrete path, parameters filled in) answering `status`; without a status, for
 * any of its 2xx answers (checked before the request goes out). No schema means the caller ignores
 * the body, which is always allowed.
 */
export function assertDeclaredResponseSchema(method: string, path: string, schema: z.ZodType | undefined, status?: number): void {
  const route = matchRoute(method, path);
  const call = `${method.toUpperCase()} ${path}`;
  if (!route) throw new ResponseSchemaMismatch(`${call} is not in the route table`);
  if (schema === undefined) return;
  const statuses = status === undefined ? Object.keys(route.responses).map(Number).filter(isSuccess) : [status];
  if (statuses.some((s) => route.responses[s]?.schema === schema)) return;
  const declared = statuses.filter((s) => route.responses[s]?.schema !== undefined);
  throw new ResponseSchemaMismatch(
    `${call} (${route.path}) is parsed with a schema the route table does not declare for ${status === undefined ? 'its success answers' : `status ${status}`}` +
      (declared.length ? ` (it declares one for ${declared.join(', ')}): pass that schema object, from @inkwell/contracts` : ': that answer has no body to parse'),
  );
}
