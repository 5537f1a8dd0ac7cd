// Evaluates the Cloud Logging filters of terraform/monitoring.tf against the JSON lines shared/logging.ts writes, so a
// test can show that a log-based metric counts the lines the code really logs.
import type { Terraform } from '../terraform/hcl';
import { resource, variableDefault } from '../terraform/hcl';

const SEVERITIES = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'];

/** A log-based metric's filter with the configuration's locals and variable defaults filled in. */
export function metricFilter(tf: Terraform, metric: string): string {
  const raw = String(resource(tf, 'google_logging_metric', metric).filter);
  const functionLogs = String(tf.localValues.function_logs).replace(/^\$\{|\}$/g, '');
  return raw
    .replace('${local.function_logs}', functionLogs)
    .replace(/\$\{var\.name_prefix\}/g, String(variableDefault(tf, 'name_prefix')));
}

/** The jsonPayload fields a filter reads. */
export function payloadFields(filter: string): string[] {
  return [...new Set([...filter.matchAll(/jsonPayload\.([A-Za-z_]\w*)/g)].map((match) => match[1]))];
}

function term(text: string, line: Record<string, unknown>, serviceName: string): boolean {
  let match: RegExpExecArray | null;
  if ((match = /^severity>=(\w+)$/.exec(text))) return SEVERITIES.indexOf(String(line.severity)) >= SEVERITIES.indexOf(match[1]);
  if ((match = /^jsonPayload\.(\w+):\*$/.exec(text))) return line[match[1]] !== undefined && line[match[1]] !== null;
  if ((match = /^jsonPayload\.(\w+)="([^"]*)"$/.exec(text))) return String(line[match[1]]) === match[2] && line[match[1]] !== undefined;
  if ((match = /^jsonPayload\.(\w+)>=(-?[\d.]+)$/.exec(text))) return typeof line[match[1]] === 'number' && (line[match[1]] as number) >= Number(match[2]);
  if (text === 'resource.type="cloud_run_revision"') return true;
  if ((match = /^resource\.labels\.service_name=~"([^"]*)"$/.exec(text))) return new RegExp(match[1]).test(serviceName);
  throw new Error(`the filter evaluator does not know the term ${JSON.stringify(text)}`);
}

/**
 * Whether `line` (a jsonPayload) matches `filter`, terms joined by AND, as logged by the Cloud Run service
 * `serviceName` (locally every function shares one log file, so the caller says which service it stands for).
 */
export function matches(filter: string, line: Record<string, unknown>, serviceName: string): boolean {
  return filter.split(/\s+AND\s+/).every((text) => term(text.trim(), line, serviceName));
}
