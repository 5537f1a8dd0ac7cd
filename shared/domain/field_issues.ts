import type { z } from 'zod';

/** One thing wrong with one field of a request, named by its path (keyMessages[2], brand.name). */
export interface FieldIssue {
  field: string;
  message: string;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '') || '(body)';
}

/** zod's issues as field issues; unknown fields are named one by one. */
export function fieldIssuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const parent = fieldPath(issue.path);
      const prefix = parent === '(body)' ? '' : `${parent}.`;
      return { field: issue.keys.map((key) => prefix + key).join(', '), message: 'unknown field' };
    }
    return { field: fieldPath(issue.path), message: issue.message };
  });
}

/** Prefixes every issue's field, for a value checked inside a larger one (briefs[3].durationSec). */
export function nestIssues(prefix: string, issues: readonly FieldIssue[]): FieldIssue[] {
  return issues.map((issue) => ({ ...issue, field: issue.field === '(body)' ? prefix : `${prefix}${issue.field.startsWith('[') ? '' : '.'}${issue.field}` }));
}
