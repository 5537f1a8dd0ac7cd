import { randomUUID } from 'node:crypto';
import type { Response } from '@google-cloud/functions-framework';
import { z } from 'zod';
import type { FieldIssue } from '../../shared/domain/brief_validation';

/** The one error shape every API failure answers with. */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldIssue[],
    /** Headers the answer needs (Retry-After, Allow). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w-]{1,64}$/.test(header) ? header : randomUUID();
}

export function errorBody(requestId: string, error: HttpError): ErrorBody {
  const body: ErrorBody = { error: { code: error.code, message: error.message, requestId } };
  if (error.fields !== undefined) body.error.fields = error.fields;
  return body;
}

export function sendError(res: Response, requestId: string, error: HttpError): void {
  res.set(error.headers).status(error.status).json(errorBody(requestId, error));
}
