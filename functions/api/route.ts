import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Permission } from '../../shared/domain/auth/permissions';
import type { Principal } from '../../shared/domain/auth/principal';
import type { Runtime } from '../runtime';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What a handler gets: the checked caller and the request's parts, already parsed by the route's schemas. */
export interface ApiRequest<Params, Query, Body> {
  runtime: Runtime;
  /** Null only on public routes. */
  principal: Principal | null;
  params: Params;
  query: Query;
  body: Body;
  headers: IncomingHttpHeaders;
  requestId: string;
}

/** A JSON answer, or a file streamed as it is read (exports). */
export type ApiResponse =
  | { status: number; body: unknown; headers?: Record<string, string> }
  | { status: number; contentType: string; stream: Readable; headers?: Record<string, string> };

export interface ResponseSpec {
  description: string;
  /** The JSON body's schema; absent for an empty body or a file. */
  schema?: z.ZodType;
  /** Media types of a non-JSON body (a ZIP, a CSV). */
  contentTypes?: readonly string[];
}

/** One endpoint: where it is, who may call it, what it takes, what it answers. The OpenAPI document is made from these. */
export interface Route<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  operationId: string;
  method: HttpMethod;
  /** An OpenAPI path template: /v1/jobs/{jobId}. */
  path: string;
  summary: string;
  tag: string;
  /** The permission the caller's role must hold; null for a public route. */
  permission: Permission | null;
  params?: P;
  query?: Q;
  body?: B;
  /** The error code of a body that fails its schema (default invalid_request). */
  bodyErrorCode?: string;
  /** Success answers; the error answers every route may give are added by the OpenAPI document. */
  responses: Record<number, ResponseSpec>;
  handle(request: ApiRequest<z.output<P>, z.output<Q>, z.output<B>>): Promise<ApiResponse>;
}

/** Declares a route with its handler's types inferred from its schemas. */
export function defineRoute<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType>(
  route: Route<P, Q, B>,
): Route {
  return route as unknown as Route;
}

/** A compiled path template: matches a request path and names its parameters. */
export function pathMatcher(template: string): (path: string) => Record<string, string> | null {
  const names: string[] = [];
  const pattern = template
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => {
      const name = /^\{([A-Za-z]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  const regex = new RegExp(`^${pattern}$`);
  return (path) => {
    const match = regex.exec(path);
    if (match === null) return null;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      params[name] = match[i + 1];
    });
    return params;
  };
}
