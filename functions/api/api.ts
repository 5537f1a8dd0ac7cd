import type { Request, Response } from '@google-cloud/functions-framework';
import { log } from '../../shared/logging';
import { getRuntime, type Runtime } from '../runtime';
import { HttpError, requestIdOf, sendError } from './http_error';
import { approveJob, createJob, getJob, type ApiResult } from './jobs_routes';

/** Largest request body accepted; briefs are small, so anything bigger is refused before parsing matters. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle: (runtime: Runtime, params: string[], body: unknown) => Promise<ApiResult>;
}

const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/v1\/health$/, handle: async () => ({ status: 200, body: { status: 'ok' } }) },
  { method: 'POST', pattern: /^\/v1\/jobs$/, handle: (runtime, _params, body) => createJob(runtime, body) },
  { method: 'GET', pattern: /^\/v1\/jobs\/([^/]+)$/, handle: (runtime, [id]) => getJob(runtime, id) },
  { method: 'POST', pattern: /^\/v1\/jobs\/([^/]+)\/approve$/, handle: (runtime, [id]) => approveJob(runtime, id) },
];

function route(req: Request): { route: Route; params: string[] } {
  const path = req.path.replace(/\/+$/, '') || '/';
  const matching = ROUTES.filter((candidate) => candidate.pattern.test(path));
  if (matching.length === 0) throw new HttpError(404, 'not_found', `no route ${path}`);
  const found = matching.find((candidate) => candidate.method === req.method);
  if (found === undefined) throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${path}`);
  return { route: found, params: (path.match(found.pattern) ?? []).slice(1).map(decodeURIComponent) };
}

/** A POST body must be one JSON object, sent as JSON, within the size limit. */
function bodyOf(req: Request): unknown {
  if (req.method !== 'POST') return undefined;
  if ((req.rawBody?.length ?? 0) > MAX_BODY_BYTES) throw new HttpError(413, 'body_too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`);
  if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new HttpError(400, 'invalid_body', 'the body must be a JSON object');
  }
  return req.body;
}

/** The HTTP function `api`. */
export async function api(req: Request, res: Response): Promise<void> {
  const requestId = requestIdOf(req.header('x-request-id'));
  res.set('x-request-id', requestId);
  try {
    const { route: matched, params } = route(req);
    const result = await matched.handle(await getRuntime(), params, bodyOf(req));
    res.status(result.status).json(result.body);
  } catch (error) {
    if (error instanceof HttpError) {
      sendError(res, requestId, error);
      return;
    }
    log('ERROR', `api request failed: ${(error as Error).message}`, { requestId, path: req.path });
    sendError(res, requestId, new HttpError(500, 'internal', 'the request failed; it has been logged'));
  }
}
