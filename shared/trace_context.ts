/** The trace an incoming request or event belongs to, as Cloud Trace names it. */
export interface TraceContext {
  /** 32 hex digits. */
  traceId: string;
  /** 16 hex digits. */
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const CLOUD_TRACE_CONTEXT = /^([0-9a-fA-F]{32})\/(\d+)(?:;o=([01]))?$/;

/** Reads a W3C `traceparent` header (or CloudEvent extension); null when absent or malformed. */
export function fromTraceparent(value: string | undefined): TraceContext | null {
  const match = TRACEPARENT.exec(value?.trim() ?? '');
  if (match === null || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return null;
  return { traceId: match[1], spanId: match[2], sampled: (Number.parseInt(match[3], 16) & 1) === 1 };
}

/** Reads Google's `X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=OPTIONS` header (decimal span id); null when absent or malformed. */
export function fromCloudTraceContext(value: string | undefined): TraceContext | null {
  const match = CLOUD_TRACE_CONTEXT.exec(value?.trim() ?? '');
  if (match === null) return null;
  return { traceId: match[1].toLowerCase(), spanId: BigInt(match[2]).toString(16).padStart(16, '0').slice(-16), sampled: match[3] === '1' };
}
