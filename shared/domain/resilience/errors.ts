import type { Capability } from '../../schemas/providers';
import { redact } from '../../redaction';

/** A provider answered with an HTTP error status. */
export class ProviderHttpError extends Error {
  constructor(
    readonly status: number,
    /** What the provider's Retry-After asked for, in milliseconds. */
    readonly retryAfterMs: number | null,
    message: string,
  ) {
    super(redact(`HTTP ${status}: ${message}`));
    this.name = 'ProviderHttpError';
  }
}

/** A provider answered, but with nothing usable (no image, a filtered prompt, an answer that breaks the schema). */
export class ProviderOutputError extends Error {
  constructor(message: string) {
    super(redact(message));
    this.name = 'ProviderOutputError';
  }
}

/** A provider could not be used this time (retries spent, breaker open, no time left): the caller falls back. */
export class ProviderUnavailableError extends Error {
  constructor(
    readonly capability: Capability,
    readonly provider: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(redact(`${provider} unavailable: ${reason}`), options);
    this.name = 'ProviderUnavailableError';
  }
}

/** An attempt that ran out of its time. */
export class AttemptTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${(timeoutMs / 1000).toFixed(1)} s`);
    this.name = 'AttemptTimeoutError';
  }
}

/** Errors after which the stage uses its fallback rather than retrying the whole stage. */
export function isProviderFailure(error: unknown): error is ProviderUnavailableError | ProviderOutputError {
  return error instanceof ProviderUnavailableError || error instanceof ProviderOutputError;
}

/** How the resilience policy treats a failed attempt. */
export interface FailureClass {
  /** Worth another attempt: 408, 429, 5xx, a timeout or a dropped connection. */
  retryable: boolean;
  /** Evidence the provider is down (not merely throttling or refusing the request): counts towards its breaker. */
  outage: boolean;
  retryAfterMs: number | null;
  /** A short name of the failure ("HTTP 503"). */
  describe: string;
  /** The failure with what the provider said, redacted. */
  detail: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

function networkCode(error: unknown): string | null {
  for (let cause: unknown = error; cause !== undefined && cause !== null; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  }
  return null;
}

export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof AttemptTimeoutError) return { retryable: true, outage: true, retryAfterMs: null, describe: error.message, detail: error.message };
  const status = statusOf(error);
  if (status !== null) {
    const retryAfterMs = error instanceof ProviderHttpError ? error.retryAfterMs : null;
    const retryable = status === 408 || status === 429 || status >= 500;
    return { retryable, outage: status === 408 || status >= 500, retryAfterMs, describe: `HTTP ${status}`, detail: redact((error as Error).message ?? `HTTP ${status}`) };
  }
  const code = networkCode(error);
  if (code !== null) return { retryable: true, outage: true, retryAfterMs: null, describe: `connection failed (${code})`, detail: `connection failed (${code})` };
  const message = redact((error as Error).message ?? String(error));
  return { retryable: false, outage: false, retryAfterMs: null, describe: message, detail: message };
}
