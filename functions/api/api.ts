import type { Request, Response } from '@google-cloud/functions-framework';
import type { Principal } from '../../shared/domain/auth/principal';
import { roleHas } from '../../shared/domain/auth/permissions';
import { log } from '../../shared/logging';
import type { RateBucket } from '../../shared/ports/rate_limiter';
import { getRuntime, type Runtime } from '../runtime';
import { authenticate } from './authenticate';
import { applyCors } from './cors';
import { HttpError, requestIdOf, sendError } from './http_error';
import { parseBody, parseParams, parseQuery } from './request_parts';
import { pathMatcher, type ApiResponse, type Route } from './route';
import { ROUTES } from './routes';
import { setSecurityHeaders } from './security_headers';

interface CompiledRoute {
  route: Route;
  match: (path: string) => Record<string, string> | null;
}

/**
 * The caller's address. Behind Google's front end the last X-Forwarded-For entry is the address it saw (earlier
 * entries are whatever the client sent); without a proxy it is the socket's peer.
 */
export function clientAddress(req: Request): string {
  const forwarded = req.header('x-forwarded-for');
  const last = forwarded?.split(',').pop()?.trim();
  return last !== undefined && last !== '' ? last : (req.socket.remoteAddress ?? 'unknown');
}

function findRoute(compiled: readonly CompiledRoute[], req: Request): { route: Route; rawParams: Record<string, string> } | { methods: string[] } {
  const path = req.path.replace(/\/+$/, '') || '/';
  const methods: string[] = [];
  for (const { route, match } of compiled) {
    const rawParams = match(path);
    if (rawParams === null) continue;
    if (route.method === req.method || (req.method === 'HEAD' && route.method === 'GET')) return { route, rawParams };
    methods.push(route.method);
  }
  return { methods };
}

/** Counts the request against its address (and its caller, once known); over a limit is 429 with Retry-After. */
async function enforceRateLimits(runtime: Runtime, address: string, principal: Principal | null): Promise<void> {
  const { rateLimitPerIp, rateLimitPerPrincipal } = runtime.config.api;
  const buckets: RateBucket[] = [{ key: `ip:${address}`, limit: rateLimitPerIp }];
  if (principal !== null) buckets.push({ key: `${principal.kind}:${principal.id}`, limit: rateLimitPerPrincipal });
  const decision = await runtime.rateLimiter.hit(buckets, runtime.clock());
  if (!decision.allowed) {
    const who = decision.bucket.startsWith('ip:') ? 'this address' : 'this caller';
    throw new HttpError(429, 'rate_limited', `too many requests from ${who}; retry after ${decision.retryAfterSec} s`, undefined, {
      'Retry-After': String(decision.retryAfterSec),
    });
  }
}

/** Authenticates (unless the route is public), counts the request, and checks the caller's role has the route's permission. */
async function admit(runtime: Runtime, route: Route, req: Request): Promise<Principal | null> {
  const address = clientAddress(req);
  if (route.permission === null) {
    await enforceRateLimits(runtime, address, null);
    return null;
  }
  let principal: Principal;
  try {
    principal = await authenticate(runtime, req.headers);
  } catch (error) {
    // Failed sign-ins count against the address too, so guessing keys is as limited as anything else.
    await enforceRateLimits(runtime, address, null);
    throw error;
  }
  await enforceRateLimits(runtime, address, principal);
  if (!roleHas(principal.role, route.permission)) {
    throw new HttpError(403, 'forbidden', `role ${principal.role} lacks permission ${route.permission}`);
  }
  return principal;
}

function send(res: Response, response: ApiResponse): void {
  if (response.headers !== undefined) res.set(response.headers);
  if ('stream' in response) {
    res.status(response.status).type(response.contentType);
    response.stream.on('error', (error) => {
      log('ERROR', `stream failed mid-answer: ${error.message}`);
      res.destroy(error);
    });
    response.stream.pipe(res);
    return;
  }
  if (response.body === undefined) res.status(response.status).end();
  else res.status(response.status).json(response.body);
}

/** The HTTP API over a route table: security headers, CORS, routing, authentication, rate limits, RBAC, strict parsing, one error shape. */
export function apiFunction(routes: readonly Route[]): (req: Request, res: Response) => Promise<void> {
  const compiled = routes.map((route) => ({ route, match: pathMatcher(route.path) }));
  const allMethods = [...new Set(routes.map((route) => route.method))];
  return async (req, res) => {
    const requestId = requestIdOf(req.header('x-request-id'));
    setSecurityHeaders(res);
    res.set('x-request-id', requestId);
    try {
      const runtime = await getRuntime();
      if (applyCors(req, res, runtime.config.api.corsOrigins, allMethods)) return;
      const found = findRoute(compiled, req);
      if (!('route' in found)) {
        if (found.methods.length === 0) throw new HttpError(404, 'not_found', `no route ${req.path}`);
        throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here`, undefined, { Allow: found.methods.join(', ') });
      }
      const { route, rawParams } = found;
      const principal = await admit(runtime, route, req);
      const params = parseParams(route, rawParams);
      const query = parseQuery(route, req);
      const body = parseBody(route, req);
      send(res, await route.handle({ runtime, principal, params, query, body, headers: req.headers, requestId }));
    } catch (error) {
      if (error instanceof HttpError) {
        sendError(res, requestId, error);
        return;
      }
      log('ERROR', `api request failed: ${(error as Error).stack ?? (error as Error).message}`, { requestId, path: req.path });
      sendError(res, requestId, new HttpError(500, 'internal', 'the request failed; it has been logged'));
    }
  };
}

/** The HTTP function `api`. */
export const api = apiFunction(ROUTES);
