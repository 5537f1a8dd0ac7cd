import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../shared/domain/auth/principal';
import { applyTransition } from '../../shared/domain/transitions';
import { log } from '../../shared/logging';
import type { AuditEntry } from '../../shared/schemas/audit';
import type { Job, JobPatch } from '../../shared/schemas/job';
import type { State } from '../../shared/stages';
import { publishState } from '../pipeline/publish_state';
import type { Runtime } from '../runtime';
import { HttpError } from './http_error';
import type { ApiRequest } from './route';

export const JobIdSchema = z.string().regex(/^job_[0-9a-f]{32}$/);
export const JobParamsSchema = z.strictObject({ jobId: JobIdSchema });

export function newJobId(): string {
  return `job_${randomUUID().replace(/-/g, '')}`;
}

/** The caller on a route that requires one (every route but the public ones). */
export function callerOf(request: Pick<ApiRequest<unknown, unknown, unknown>, 'principal'>): Principal {
  if (request.principal === null) throw new Error('this route needs an authenticated caller');
  return request.principal;
}

/** The caller's own job; another tenant's job is as absent as one that never existed. */
export async function ownJob(runtime: Runtime, principal: Principal, id: string): Promise<Job> {
  const job = await runtime.jobs.get(id);
  if (job === null || job.tenant !== principal.tenant) throw new HttpError(404, 'not_found', `no job ${id}`);
  return job;
}

/**
 * Records an action in the audit log. The action has happened by now, so a failure to record it is logged as an
 * error for operators rather than reported to the caller as a failed action.
 */
export async function recordAudit(
  request: Pick<ApiRequest<unknown, unknown, unknown>, 'runtime' | 'principal' | 'requestId'>,
  action: string,
  target: AuditEntry['target'],
  details: AuditEntry['details'] = {},
): Promise<void> {
  const principal = callerOf(request);
  const entry: AuditEntry = {
    id: `audit_${randomUUID().replace(/-/g, '')}`,
    at: request.runtime.clock().toISOString(),
    tenant: principal.tenant,
    actor: principal,
    action,
    target,
    requestId: request.requestId,
    details,
  };
  try {
    await request.runtime.audit.append(entry);
  } catch (error) {
    log('ERROR', `audit entry not recorded: ${(error as Error).message}`, { action, target: target?.id, requestId: request.requestId });
  }
}

export interface JobMove {
  to: State;
  reason: string;
  /** States the move may start from; anything else is 409 with `conflictCode`. */
  from: readonly State[];
  conflictCode: string;
  /** True when the job already shows this move was made (approving twice): answered as success, nothing changes. */
  alreadyDone(job: Job): boolean;
  patch?: (job: Job, now: Date) => JobPatch;
}

/**
 * A person moves a job on (approve, reject, cancel): checked and applied in one transaction, then announced on
 * the new state's topic. A repeated call finds the move made and announces the state again, in case the first
 * call's publish was lost (the stage runner ignores the copy it does not need).
 */
export async function moveJob(runtime: Runtime, job: Job, move: JobMove): Promise<Job> {
  const moved = await runtime.jobs.update(job.id, (current) => {
    if (move.alreadyDone(current)) return { job: null, result: current };
    if (!move.from.includes(current.state)) throw new HttpError(409, move.conflictCode, `job is ${current.state}; this needs ${move.from.join(' or ')}`);
    const now = runtime.clock();
    const patched = { ...current, ...(move.patch?.(current, now) ?? {}) };
    const { job: next } = applyTransition(patched, { to: move.to, reason: move.reason, causeEventId: `${current.stateEventId}:${move.to}` }, now);
    return { job: next, result: next };
  });
  if (moved.state === move.to) await publishState(runtime.events, moved);
  return moved;
}
