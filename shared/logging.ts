import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import { redact } from './redaction';
import type { TraceContext } from './trace_context';

export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL' | 'ALERT';

/** Fields Cloud Logging reads from a JSON line (jsonPayload), plus ours. The metrics in terraform/monitoring.tf read these names. */
export interface LogFields {
  jobId?: string;
  stage?: string;
  step?: string;
  eventId?: string;
  service?: string;
  /** How long the work the line reports on took. */
  durationMs?: number;
  /** What the work the line reports on cost. */
  costUsd?: number;
  /** What the job has cost so far (at delivery: what it cost). */
  jobCostUsd?: number;
  [key: string]: unknown;
}

/** The special fields that tie a line to its trace in Cloud Logging (and Cloud Trace). */
export const TRACE_FIELD = 'logging.googleapis.com/trace';
export const SPAN_FIELD = 'logging.googleapis.com/spanId';
export const SAMPLED_FIELD = 'logging.googleapis.com/trace_sampled';

/** Where log lines go: stdout (which Cloud Logging parses as JSON), or a file the local runner names. */
let sinkFile: string | null = process.env.AIPROD_LOG_FILE ?? null;

export function setLogFile(file: string | null): void {
  sinkFile = file;
}

/** Fields of the invocation in progress, so every line it logs carries them without passing them around. */
const invocation = new AsyncLocalStorage<LogFields>();

/** Runs `work` with `fields` added to every line it logs, however deep in its calls. */
export function withLogContext<T>(fields: LogFields, work: () => T): T {
  return invocation.run({ ...invocation.getStore(), ...fields }, work);
}

/** The trace fields of a line, in the form Cloud Logging links to Cloud Trace: projects/<project>/traces/<id>. */
export function traceFields(projectId: string, trace: TraceContext | null): LogFields {
  if (trace === null) return {};
  return { [TRACE_FIELD]: `projects/${projectId}/traces/${trace.traceId}`, [SPAN_FIELD]: trace.spanId, [SAMPLED_FIELD]: trace.sampled };
}

/** One structured JSON line per event, in the shape Cloud Logging reads (severity, message, trace, fields). */
export function log(severity: Severity, message: string, fields: LogFields = {}): void {
  const entry = { severity, message, time: new Date().toISOString(), ...invocation.getStore(), ...withoutUndefined(fields) };
  // Redacted whole: a secret must not reach a log through any field.
  const line = `${redact(JSON.stringify(entry))}\n`;
  if (sinkFile === null) process.stdout.write(line);
  else appendFileSync(sinkFile, line);
}

/** An explicit `undefined` must not hide what the context says (JSON would drop the key anyway). */
function withoutUndefined(fields: LogFields): LogFields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
