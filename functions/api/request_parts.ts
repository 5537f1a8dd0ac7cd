import type { Request } from '@google-cloud/functions-framework';
import type { z } from 'zod';
import { fieldIssuesOf } from '../../shared/domain/field_issues';
import { HttpError } from './http_error';
import type { Route } from './route';

/** Largest request body the API reads; briefs are small, a batch of fifty is well under this. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Deeper JSON than this is no request of ours, and walking it would only cost stack. */
export const MAX_JSON_DEPTH = 32;

function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next.value === null || typeof next.value !== 'object') continue;
    deepest = Math.max(deepest, next.depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const inner of Object.values(next.value)) stack.push({ value: inner, depth: next.depth + 1 });
  }
  return deepest;
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, code: string, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, code, `the ${what} has invalid fields`, fieldIssuesOf(parsed.error));
  return parsed.data;
}

/** Path parameters that do not fit their schema name nothing that exists. */
export function parseParams(route: Route, raw: Record<string, string>): unknown {
  let decoded: Record<string, string>;
  try {
    decoded = Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, decodeURIComponent(value)]));
  } catch {
    throw new HttpError(404, 'not_found', 'no such resource');
  }
  if (route.params === undefined) return decoded;
  const parsed = route.params.safeParse(decoded);
  if (!parsed.success) throw new HttpError(404, 'not_found', `no ${Object.values(decoded).join('/')} here`);
  return parsed.data;
}

export function parseQuery(route: Route, req: Request): unknown {
  const query = req.query as Record<string, unknown>;
  if (route.query === undefined) {
    const unknown = Object.keys(query);
    if (unknown.length > 0) throw new HttpError(400, 'invalid_query', 'this endpoint takes no query parameters', unknown.map((field) => ({ field, message: 'unknown parameter' })));
    return {};
  }
  return parseWith(route.query, query, 'invalid_query', 'query');
}

function isEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** A body must be one JSON object, sent as JSON, within the size and depth limits, with exactly the route's fields. */
export function parseBody(route: Route, req: Request): unknown {
  const length = req.rawBody?.length ?? 0;
  if (length > MAX_BODY_BYTES) throw new HttpError(413, 'body_too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`);
  if (route.body === undefined) {
    if (length === 0 || (req.is('application/json') && isEmptyObject(req.body))) return undefined;
    throw new HttpError(400, 'unexpected_body', 'this endpoint takes no body');
  }
  if (length === 0) return parseWith(route.body, undefined, route.bodyErrorCode ?? 'invalid_request', 'body');
  if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) throw new HttpError(400, 'invalid_body', 'the body must be a JSON object');
  if (depthOf(req.body) > MAX_JSON_DEPTH) throw new HttpError(400, 'invalid_body', `the body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  return parseWith(route.body, req.body, route.bodyErrorCode ?? 'invalid_request', 'body');
}
