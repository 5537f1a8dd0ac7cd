import { appendFileSync } from 'node:fs';
import { redact } from './redaction';

export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR';

export interface LogFields {
  jobId?: string;
  stage?: string;
  eventId?: string;
  durationMs?: number;
  [key: string]: unknown;
}

/** Where log lines go: stdout (which Cloud Logging parses as JSON), or a file the local runner names. */
let sinkFile: string | null = process.env.AIPROD_LOG_FILE ?? null;

export function setLogFile(file: string | null): void {
  sinkFile = file;
}

/** One structured JSON line per event, in the shape Cloud Logging reads (severity, message, fields). */
export function log(severity: Severity, message: string, fields: LogFields = {}): void {
  // Redacted whole: a secret must not reach a log through any field.
  const line = `${redact(JSON.stringify({ severity, message, time: new Date().toISOString(), ...fields }))}\n`;
  if (sinkFile === null) process.stdout.write(line);
  else appendFileSync(sinkFile, line);
}
