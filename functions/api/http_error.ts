import { randomUUID } from 'node:crypto';
import type { Response } from '@google-cloud/functions-framework';
import type { FieldIssue } from '../../shared/domain/brief_validation';

/** The one error shape every API failure answers with. */
export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldIssue[]; requestId: string };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldIssue[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w-]{1,64}$/.test(header) ? header : randomUUID();
}

export function sendError(res: Response, requestId: string, error: HttpError): void {
  const body: ErrorBody = { error: { code: error.code, message: error.message, requestId } };
  if (error.fields !== undefined) body.error.fields = error.fields;
  res.status(error.status).json(body);
}
