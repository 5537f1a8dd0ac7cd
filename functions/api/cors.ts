import type { Request, Response } from '@google-cloud/functions-framework';
import { HttpError } from './http_error';

const ALLOWED_HEADERS = 'Authorization, Content-Type, If-Match, X-API-Key, X-Request-Id';
const EXPOSED_HEADERS = 'ETag, Retry-After, X-Request-Id';

/**
 * Cross-origin access for browsers, from the configured allow-list of exact origins. An origin not on the list
 * gets no CORS headers (so browsers keep the answer from it), and its preflight is refused.
 * Resolves true when the request was a preflight and has been answered.
 */
export function applyCors(req: Request, res: Response, allowedOrigins: readonly string[], allowedMethods: readonly string[]): boolean {
  const origin = req.header('origin');
  const allowed = origin !== undefined && allowedOrigins.includes(origin);
  res.vary('Origin');
  if (allowed) {
    res.set('Access-Control-Allow-Origin', origin);
    res.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  }
  if (req.method !== 'OPTIONS') return false;
  if (!allowed) throw new HttpError(403, 'cors_origin_refused', `origin ${origin ?? '(none)'} may not call this API from a browser`);
  res.set({
    'Access-Control-Allow-Methods': allowedMethods.join(', '),
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  });
  res.status(204).end();
  return true;
}
