/**
 * Secret values the process has read, so that no log line, error or stored message can carry one: whatever
 * writes text that may hold provider output or errors passes it through `redact`.
 */
const secrets = new Set<string>();

/** Too short a value would blank ordinary words; real keys are long. */
const MIN_SECRET_LENGTH = 8;

export const REDACTED = '[redacted]';

function add(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH) return;
  secrets.add(secret);
  // As it appears inside JSON (a log line, a stored error): quotes and newlines escaped.
  secrets.add(JSON.stringify(secret).slice(1, -1));
}

export function registerSecret(value: string): void {
  const trimmed = value.trim();
  add(trimmed);
  // A service-account key is JSON: its private key and its parts must not leak either.
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed !== null && typeof parsed === 'object') {
      for (const field of ['private_key', 'private_key_id'] as const) {
        const part = (parsed as Record<string, unknown>)[field];
        if (typeof part === 'string') add(part);
      }
    }
  } catch {
    // Not JSON: the value itself is the secret.
  }
}

export function redact(text: string): string {
  let clean = text;
  for (const secret of secrets) clean = clean.split(secret).join(REDACTED);
  return clean;
}
