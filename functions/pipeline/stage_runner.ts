import { randomUUID } from 'node:crypto';
import { JobFailure, StageBusyError } from '../../shared/domain/errors';
import { applyTransition } from '../../shared/domain/transitions';
import { ledgerTotal } from '../../shared/domain/prices';
import { log } from '../../shared/logging';
import type { Job, JobPatch } from '../../shared/schemas/job';
import type { StageMessage } from '../../shared/schemas/messages';
import { STAGE_TABLE, type State } from '../../shared/stages';
import type { Runtime } from '../runtime';
import { publishState } from './publish_state';
import { JobNotFoundError } from '../../shared/ports/job_store';
import type { StageOutcome, StageWork } from './stage_work';

export type StageRunResult = 'done' | 'stale' | 'missing';

/** Whether `job` is still waiting for the work this message asks for. */
function awaitsWork(job: Job, message: StageMessage): boolean {
  return job.state === message.state && job.stateEventId === message.eventId && job.settledEventId !== message.eventId;
}

/**
 * Runs one state's work for one message, exactly once per event however often and in whatever order Pub/Sub
 * delivers it:
 * 1. a message whose event is no longer the job's current one is acknowledged without work (if its own work
 *    already moved the job on, the next state's message is published again, in case that publish was lost);
 * 2. a lease taken in a transaction keeps a second delivery of the same event from working at the same time;
 * 3. the outcome is committed in a transaction that re-checks the event, then the next state is announced.
 */
export async function runStage(runtime: Runtime, state: State, work: StageWork, message: StageMessage): Promise<StageRunResult> {
  const { jobs, events, clock } = runtime;
  const fields = { jobId: message.jobId, stage: state, eventId: message.eventId };
  const holder = randomUUID();
  const claim = await claimLease(runtime, message, holder);
  if (claim.kind === 'missing') {
    log('WARNING', 'message for a job that does not exist', fields);
    return 'missing';
  }
  if (claim.kind === 'stale') {
    const last = claim.job.stateHistory[claim.job.stateHistory.length - 1];
    if (last.causeEventId === message.eventId) await publishState(events, claim.job);
    log('INFO', 'stale or repeated message ignored', { ...fields, currentState: claim.job.state });
    return 'stale';
  }
  const claimed = claim.job;

  const started = Date.now();
  let outcome: StageOutcome;
  try {
    outcome = await work({ job: claimed, eventId: message.eventId, runtime });
  } catch (error) {
    if (error instanceof JobFailure) {
      const patch: JobPatch = { ...error.findings, error: { state, reason: error.message } };
      outcome = { kind: 'advance', next: 'ERROR', reason: error.message, patch };
    } else {
      await recordFailure(runtime, message, holder, error as Error);
      throw error;
    }
  }
  const durationMs = Date.now() - started;

  const committed = await jobs.update(message.jobId, (current) => {
    if (!awaitsWork(current, message) || current.lease?.holder !== holder) return { job: null, result: null };
    const now = clock();
    const costLedger = [...current.costLedger, ...(outcome.ledger ?? [])];
    const withWork: Job = { ...current, ...outcome.patch, costLedger, totalCostUsd: ledgerTotal(costLedger), lastFailure: null };
    if (outcome.kind === 'settle') {
      const timing = current.timings[state] ?? { attempts: 1 };
      const settled: Job = {
        ...withWork,
        settledEventId: message.eventId,
        lease: null,
        timings: { ...current.timings, [state]: { ...timing, finishedAt: now.toISOString(), durationMs } },
        updatedAt: now.toISOString(),
      };
      return { job: settled, result: settled };
    }
    const { job: moved } = applyTransition(withWork, { to: outcome.next, reason: outcome.reason, causeEventId: message.eventId }, now);
    return { job: moved, result: moved };
  });
  if (committed === null) {
    log('WARNING', 'stage result discarded: the job moved on while the stage ran', fields);
    return 'stale';
  }
  log('INFO', outcome.reason, { ...fields, durationMs, next: committed.state, costUsd: committed.totalCostUsd });
  if (outcome.kind === 'advance') await publishState(events, committed);
  return 'done';
}

type Claim = { kind: 'claimed' | 'stale'; job: Job } | { kind: 'missing' };

/**
 * Takes the stage's lease for this delivery, in the same read that decides whether the message is stale;
 * throws StageBusyError while another delivery holds a live lease on the same event.
 */
async function claimLease(runtime: Runtime, message: StageMessage, holder: string): Promise<Claim> {
  const spec = STAGE_TABLE[message.state];
  try {
    return await runtime.jobs.update<Claim>(message.jobId, (job) => {
      if (!awaitsWork(job, message)) return { job: null, result: { kind: 'stale', job } };
      const now = runtime.clock();
      if (job.lease !== null && job.lease.eventId === message.eventId && Date.parse(job.lease.expiresAt) > now.getTime()) {
        throw new StageBusyError(job.id, message.eventId);
      }
      const timing = job.timings[message.state] ?? { attempts: 0 };
      const claimed: Job = {
        ...job,
        lease: {
          state: message.state,
          eventId: message.eventId,
          holder,
          expiresAt: new Date(now.getTime() + spec.timeoutSec * 1000).toISOString(),
        },
        timings: {
          ...job.timings,
          [message.state]: { ...timing, attempts: timing.attempts + 1, startedAt: timing.startedAt ?? now.toISOString() },
        },
        updatedAt: now.toISOString(),
      };
      return { job: claimed, result: { kind: 'claimed', job: claimed } };
    });
  } catch (error) {
    if (error instanceof JobNotFoundError) return { kind: 'missing' };
    throw error;
  }
}

/** Keeps the error for the dead-letter handler and frees the lease so the redelivery can start at once. */
async function recordFailure(runtime: Runtime, message: StageMessage, holder: string, error: Error): Promise<void> {
  log('ERROR', `stage failed, will be retried: ${error.message}`, { jobId: message.jobId, stage: message.state, eventId: message.eventId });
  await runtime.jobs.update(message.jobId, (job) => {
    if (job.lease?.holder !== holder) return { job: null, result: undefined };
    const at = runtime.clock().toISOString();
    return {
      job: { ...job, lease: null, lastFailure: { state: message.state, message: error.message, at }, updatedAt: at },
      result: undefined,
    };
  });
}
