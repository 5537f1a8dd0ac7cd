import { z } from 'zod';
import { BriefSchema, type Brief } from '../schemas/brief';
import { PRESETS } from '../schemas/preset';
import { fieldIssuesOf, type FieldIssue } from './field_issues';

export type { FieldIssue } from './field_issues';

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

/**
 * The one check a brief passes before it becomes a job, used by the API and again by the sanitize stage:
 * text normalisation, the schema, duplicate key messages, and the preset's duration limit.
 */
export const ValidBriefSchema = z.preprocess(
  normaliseStrings,
  // A pipe, so the cross-field rules run only on a brief that passed the schema.
  BriefSchema.pipe(
    z.custom<Brief>().superRefine((brief, context) => {
      const preset = PRESETS[brief.preset];
      if (brief.durationSec > preset.maxDurationSec) {
        context.addIssue({
          code: 'custom',
          path: ['durationSec'],
          message: `${brief.durationSec} s is longer than preset ${preset.name} allows (${preset.maxDurationSec} s)`,
        });
      }
      const seen = new Set<string>();
      brief.keyMessages.forEach((message, index) => {
        const key = message.toLowerCase();
        if (seen.has(key)) context.addIssue({ code: 'custom', path: ['keyMessages', index], message: 'repeats an earlier key message' });
        seen.add(key);
      });
    }),
  ),
);

export function validateBrief(input: unknown): BriefValidation {
  const parsed = ValidBriefSchema.safeParse(input);
  return parsed.success ? { ok: true, brief: parsed.data } : { ok: false, issues: fieldIssuesOf(parsed.error) };
}

export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
}
