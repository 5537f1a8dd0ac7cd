// The job list's filters: `field:op:value` (value lists comma-separated), checked against what Firestore can run.
import { PRESET_NAMES } from '../schemas/brief';
import { STATES } from '../stages';
import type { FieldIssue } from './brief_validation';

export const FILTER_FIELDS = ['state', 'preset', 'createdAt', 'costUsd'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export const FILTER_OPS = ['=', '!=', '<', '<=', '>', '>=', 'in', 'not-in'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export type FilterValue = string | number;
export interface JobFilter {
  field: FilterField;
  op: FilterOp;
  value: FilterValue | FilterValue[];
}

/** More filters than fields times operators makes no sense, and each one costs the query. */
const MAX_FILTERS = 10;
/** Firestore's own bounds on list operators. */
const MAX_IN_VALUES = 30;
const MAX_NOT_IN_VALUES = 10;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function parseScalar(field: FilterField, raw: string): FilterValue | string[] {
  switch (field) {
    case 'state':
      if (!(STATES as readonly string[]).includes(raw)) return [`not a state (${STATES.join(', ')})`];
      return raw;
    case 'preset':
      if (!(PRESET_NAMES as readonly string[]).includes(raw)) return [`not a preset (${PRESET_NAMES.join(', ')})`];
      return raw;
    case 'createdAt':
      if (!ISO_TIME.test(raw) || Number.isNaN(Date.parse(raw))) return ['not a UTC time like 2026-12-01T09:30:00Z'];
      // Stored times are toISOString() output, so comparing strings compares times once both carry milliseconds.
      return new Date(raw).toISOString();
    case 'costUsd': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value) || value < 0) return ['not a cost in USD (a number ≥ 0)'];
      return value;
    }
  }
}

function parseOne(text: string): JobFilter | string {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (first < 0 || second < 0) return 'a filter is field:op:value, e.g. state:in:RENDERING,QA_TECH';
  const field = text.slice(0, first);
  const op = text.slice(first + 1, second);
  const raw = text.slice(second + 1);
  if (!(FILTER_FIELDS as readonly string[]).includes(field)) return `unknown filter field "${field}" (${FILTER_FIELDS.join(', ')})`;
  if (!(FILTER_OPS as readonly string[]).includes(op)) return `unknown operator "${op}" (${FILTER_OPS.join(' ')})`;
  const typedField = field as FilterField;
  const typedOp = op as FilterOp;
  if (typedOp === 'in' || typedOp === 'not-in') {
    const parts = raw.split(',');
    const max = typedOp === 'in' ? MAX_IN_VALUES : MAX_NOT_IN_VALUES;
    if (parts.length > max) return `${op} takes at most ${max} values`;
    const values: FilterValue[] = [];
    for (const part of parts) {
      const value = parseScalar(typedField, part);
      if (Array.isArray(value)) return `${field}: "${part}" is ${value[0]}`;
      values.push(value);
    }
    return { field: typedField, op: typedOp, value: values };
  }
  if ((typedField === 'state' || typedField === 'preset') && !['=', '!='].includes(typedOp)) {
    return `${field} can be compared with =, !=, in and not-in only`;
  }
  const value = parseScalar(typedField, raw);
  if (Array.isArray(value)) return `${field}: "${raw}" is ${value[0]}`;
  return { field: typedField, op: typedOp, value };
}

export type FilterParse = { ok: true; filters: JobFilter[] } | { ok: false; issues: FieldIssue[] };

/** Parses the `filter` query parameters; refuses combinations Firestore cannot run, naming the parameter. */
export function parseJobFilters(texts: readonly string[]): FilterParse {
  if (texts.length > MAX_FILTERS) return { ok: false, issues: [{ field: 'filter', message: `at most ${MAX_FILTERS} filters` }] };
  const issues: FieldIssue[] = [];
  const filters: JobFilter[] = [];
  texts.forEach((text, index) => {
    const parsed = parseOne(text);
    if (typeof parsed === 'string') issues.push({ field: `filter[${index}]`, message: parsed });
    else filters.push(parsed);
  });
  const negations = filters.filter((filter) => filter.op === '!=' || filter.op === 'not-in');
  if (negations.length > 1) issues.push({ field: 'filter', message: 'at most one != or not-in filter per query' });
  if (negations.some((filter) => filter.op === 'not-in') && filters.some((filter) => filter.op === 'in')) {
    issues.push({ field: 'filter', message: 'not-in cannot be combined with in' });
  }
  if (filters.filter((filter) => filter.op === 'in').length > 1) issues.push({ field: 'filter', message: 'at most one in filter per query' });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, filters };
}
