import { z } from 'zod';
import { BriefSchema, type Brief } from '../schemas/brief';
import { PRESETS } from '../schemas/preset';

export interface FieldIssue {
  field: string;
  message: string;
}

export type BriefValidation = { ok: true; brief: Brief } | { ok: false; issues: FieldIssue[] };

/** Unicode-normalises and collapses white space so equal texts compare equal. */
function normaliseText(value: string): string {
  return value.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

function normaliseStrings(value: unknown): unknown {
  if (typeof value === 'string') return normaliseText(value);
  if (Array.isArray(value)) return value.map(normaliseStrings);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normaliseStrings(inner)]));
  }
  return value;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '') || '(body)';
}

function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const parent = fieldPath(issue.path);
      const prefix = parent === '(body)' ? '' : `${parent}.`;
      return { field: issue.keys.map((key) => prefix + key).join(', '), message: 'unknown field' };
    }
    return { field: fieldPath(issue.path), message: issue.message };
  });
}

/**
 * The one check a brief passes before it becomes a job, used by the API and again by the sanitize stage:
 * the schema, text normalisation, duplicate key messages, and the preset's duration limit.
 */
export function validateBrief(input: unknown): BriefValidation {
  const parsed = BriefSchema.safeParse(normaliseStrings(input));
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
  const brief = parsed.data;
  const issues: FieldIssue[] = [];
  const preset = PRESETS[brief.preset];
  if (brief.durationSec > preset.maxDurationSec) {
    issues.push({
      field: 'durationSec',
      message: `${brief.durationSec} s is longer than preset ${preset.name} allows (${preset.maxDurationSec} s)`,
    });
  }
  const seen = new Set<string>();
  brief.keyMessages.forEach((message, index) => {
    const key = message.toLowerCase();
    if (seen.has(key)) issues.push({ field: `keyMessages[${index}]`, message: 'repeats an earlier key message' });
    seen.add(key);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, brief };
}

export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
}
