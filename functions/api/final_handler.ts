// The Functions Framework parses every request body before the function runs, and a body it cannot parse
// (malformed JSON, an unknown charset or encoding) never reaches the function: Express answers it with an HTML
// page. This gives those answers the API's error shape instead, and refuses oversized bodies by their declared
// length before they are read.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { errorBody, HttpError, requestIdOf } from './http_error';
import { setSecurityHeaders } from './security_headers';

/** No function here takes more: the largest Pub/Sub push is ~13 MB (10 MB of data, base64-encoded). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

interface ParserError {
  status?: number;
  type?: string;
}

function httpErrorOf(error: ParserError | undefined): HttpError {
  if (error === undefined) return new HttpError(404, 'not_found', 'no such route');
  switch (error.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'invalid_json', 'the body is not valid JSON');
    case 'entity.too.large':
      return new HttpError(413, 'body_too_large', 'the body is too large');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new HttpError(415, 'unsupported_media_type', 'send the body as UTF-8 JSON without content encoding');
  }
  const status = error.status ?? 500;
  if (status >= 400 && status < 500) return new HttpError(status, 'bad_request', 'the request could not be read');
  return new HttpError(500, 'internal', 'the request failed; it has been logged');
}

function answer(req: IncomingMessage, res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const requestId = requestIdOf(req.headers['x-request-id']);
  const body = JSON.stringify(errorBody(requestId, error));
  setSecurityHeaders(res);
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('x-request-id', requestId);
  // The unread rest of an oversized body is not worth reading: close the connection after answering.
  if (error.status === 413) res.setHeader('Connection', 'close');
  res.end(body);
}

type Handle = (this: unknown, req: IncomingMessage, res: ServerResponse, callback?: (error?: ParserError) => void) => void;
const INSTALLED = Symbol.for('aiprod.finalHandler');

/** Installs the JSON final handler into the Express that the Functions Framework uses; call before it builds its app. */
export function installJsonFinalHandler(): void {
  // The framework's own copy of Express, whichever version it resolves to.
  const fromFramework = createRequire(require.resolve('@google-cloud/functions-framework'));
  const express = fromFramework('express') as { application: Record<string | symbol, unknown> };
  if (express.application[INSTALLED] === true) return;
  const original = express.application.handle as Handle;
  express.application.handle = function handle(this: unknown, req: IncomingMessage, res: ServerResponse, callback?: (error?: ParserError) => void) {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_REQUEST_BYTES) {
      answer(req, res, new HttpError(413, 'body_too_large', `the body is larger than ${MAX_REQUEST_BYTES} bytes`));
      return;
    }
    original.call(this, req, res, callback ?? ((error?: ParserError) => answer(req, res, httpErrorOf(error))));
  } satisfies Handle;
  express.application[INSTALLED] = true;
}
