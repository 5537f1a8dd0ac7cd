import { OpenApiConformance } from './openapi_conformance';

export interface Credentials {
  apiKey?: string;
  idToken?: string;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text of any other body. */
  body: any;
  bytes: Buffer;
}

export interface ApiCall {
  method?: string;
  body?: unknown;
  /** A body sent exactly as given (for malformed input). */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

let conformance: Promise<OpenApiConformance> | null = null;

/** The served document, fetched once per test run. */
export function conformanceOf(baseUrl: string): Promise<OpenApiConformance> {
  conformance ??= fetch(`${baseUrl}/v1/openapi.json`).then(async (response) => new OpenApiConformance(await response.json()));
  return conformance;
}

/** Calls the API with one credential; every answer is checked against the OpenAPI document before it is returned. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly credentials: Credentials = {},
  ) {}

  as(credentials: Credentials): ApiClient {
    return new ApiClient(this.baseUrl, credentials);
  }

  async call(path: string, call: ApiCall = {}): Promise<ApiAnswer> {
    const method = call.method ?? (call.body !== undefined || call.raw !== undefined ? 'POST' : 'GET');
    const headers: Record<string, string> = { ...call.headers };
    if (this.credentials.apiKey !== undefined) headers['x-api-key'] = this.credentials.apiKey;
    if (this.credentials.idToken !== undefined) headers.authorization = `Bearer ${this.credentials.idToken}`;
    let body: string | Blob | undefined;
    if (call.raw !== undefined) body = typeof call.raw === 'string' ? call.raw : new Blob([new Uint8Array(call.raw)]);
    else if (call.body !== undefined) body = JSON.stringify(call.body);
    if (body !== undefined) headers['content-type'] ??= call.contentType ?? 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const bytes = Buffer.from(await response.arrayBuffer());
    const contentType = response.headers.get('content-type');
    let parsed: unknown = bytes.toString('utf8');
    if (contentType?.startsWith('application/json') && bytes.length > 0) parsed = JSON.parse(parsed as string);
    if (bytes.length === 0) parsed = null;
    (await conformanceOf(this.baseUrl)).check(method, path, response.status, contentType, parsed);
    return { status: response.status, headers: response.headers, body: parsed, bytes };
  }

  get(path: string, call: Omit<ApiCall, 'method'> = {}) {
    return this.call(path, { ...call, method: 'GET' });
  }

  post(path: string, body?: unknown, call: Omit<ApiCall, 'method' | 'body'> = {}) {
    return this.call(path, { ...call, method: 'POST', body });
  }

  patch(path: string, body: unknown, call: Omit<ApiCall, 'method' | 'body'> = {}) {
    return this.call(path, { ...call, method: 'PATCH', body });
  }

  put(path: string, body: unknown, call: Omit<ApiCall, 'method' | 'body'> = {}) {
    return this.call(path, { ...call, method: 'PUT', body });
  }

  delete(path: string, call: Omit<ApiCall, 'method'> = {}) {
    return this.call(path, { ...call, method: 'DELETE' });
  }
}
