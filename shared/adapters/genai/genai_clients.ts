import type { GoogleGenAI, GoogleGenAIOptions } from '@google/genai' with { 'resolution-mode': 'import' };
import { parseRetryAfter } from '../../domain/resilience/retry';
import { ProviderHttpError } from '../../domain/resilience/errors';

/** Longest part of an error body kept in a message. */
const ERROR_BODY_CHARS = 300;

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; status?: unknown } };
    const message = typeof body.error?.message === 'string' ? body.error.message : text;
    const status = typeof body.error?.status === 'string' ? `${body.error.status}: ` : '';
    return `${status}${message}`.slice(0, ERROR_BODY_CHARS);
  } catch {
    return text.slice(0, ERROR_BODY_CHARS) || response.statusText;
  }
}

/**
 * The SDK's fetch, turning an HTTP error into a ProviderHttpError that keeps the status and the Retry-After
 * header (the SDK's own ApiError drops the headers), so the retry policy can honour it.
 */
export const statusAwareFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.ok) return response;
  throw new ProviderHttpError(response.status, parseRetryAfter(response.headers.get('retry-after'), new Date()), await errorMessage(response));
};

export interface GenaiConnection {
  /** Gemini API key; without one Gemini is reached through Vertex AI like Imagen and Veo. */
  apiKey: string | null;
  project: string;
  location: string;
  /** Vertex AI credentials: a service-account key, an auth client, or (absent) the function's own identity. */
  vertexAuth?: GoogleGenAIOptions['googleAuthOptions'];
}

/** The SDK module. It ships ECMAScript-module types only, so this CommonJS code base loads it with import(). */
export type GenaiSdk = typeof import('@google/genai', { with: { 'resolution-mode': 'import' } });

let sdk: Promise<GenaiSdk> | null = null;

export function loadGenaiSdk(): Promise<GenaiSdk> {
  sdk ??= import('@google/genai');
  return sdk;
}

// Base URLs are not set here: the SDK reads GOOGLE_GEMINI_BASE_URL and GOOGLE_VERTEX_BASE_URL itself, which is how
// the whole path is pointed at a local server.

/** The client for Imagen and Veo, which only Vertex AI serves. */
export function vertexClient(genai: GenaiSdk, connection: GenaiConnection): GoogleGenAI {
  return new genai.GoogleGenAI({
    vertexai: true,
    project: connection.project,
    location: connection.location,
    ...(connection.vertexAuth === undefined ? {} : { googleAuthOptions: connection.vertexAuth }),
    httpOptions: { fetch: statusAwareFetch },
  });
}

/** The client for Gemini (text, speech, video understanding): the Gemini API with a key, else Vertex AI. */
export function geminiClient(genai: GenaiSdk, connection: GenaiConnection): GoogleGenAI {
  if (connection.apiKey === null) return vertexClient(genai, connection);
  return new genai.GoogleGenAI({ apiKey: connection.apiKey, httpOptions: { fetch: statusAwareFetch } });
}
