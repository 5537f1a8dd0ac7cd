import { randomUUID } from 'node:crypto';
import { JobFailure, StageBusyError } from '../../shared/domain/errors';
import { isPaused } from '../../shared/domain/pauses';
import { applyTransition } from '../../shared/domain/transitions';
import { ledgerTotal } from '../../shared/domain/prices';
import { log } from '../../shared/logging';
import { JobNotFoundError } from '../../shared/ports/job_store';
import type { Job, JobPatch } from '../../shared/schemas/job';
import { messageAttributes, workKeyOf, type StageMessage } from '../../shared/schemas/messages';
import { STAGE_TABLE, STEP_TABLE } from '../../shared/stages';
import type { Runtime } from '../runtime';
import { publishState } from './publish_state';
import type { FollowUp, PatchOf, StageOutcome, StageWork } from './stage_work';

export type StageRunResult = 'done' | 'stale' | 'missing' | 'paused';

/** Whether `job` still waits for the work this message asks for. */
function awaitsWork(job: Job, message: StageMessage): boolean {
  return job.state === message.state && job.stateEventId === message.eventId && !job.settledWork.includes(workKeyOf(message));
}

function timeoutSecOf(message: StageMessage): number {
  return message.step === undefined ? STAGE_TABLE[message.state].timeoutSec : STEP_TABLE[message.step.kind].timeoutSec;
}

function resolvePatch(patch: PatchOf | undefined, job: Job): JobPatch {
  return typeof patch === 'function' ? patch(job) : (patch ?? {});
}

async function publishAll(runtime: Runtime, followUps: FollowUp[]): Promise<void> {
  await Promise.all(followUps.map(({ topic, message }) => runtime.events.publish(topic, message, messageAttributes(message))));
}

/**
 * Runs one piece of work (a state's own work, or one step of it) for one message, exactly once however often
 * and in whatever order Pub/Sub delivers it:
 * 1. a message whose work is settled or whose event is no longer the job's current one is acknowledged without
 *    work; what that work should have sent on is sent again, in case the publish after its commit was lost;
 * 2. a lease taken in a transaction keeps a second delivery of the same work from running at the same time (a
 *    job the budget check paused is acknowledged without work: resuming it publishes its state's message again);
 * 3. the outcome is committed in a transaction that re-checks the work is still wanted, then the next state
 *    is announced and any follow-up messages are published.
 */
export async function runStage(runtime: Runtime, work: StageWork, message: StageMessage): Promise<StageRunResult> {
  const { jobs, clock } = runtime;
  const workKey = workKeyOf(message);
  const holder = randomUUID();
  const claim = await claimLease(runtime, message, holder);
  if (claim.kind === 'missing') {
    log('WARNING', 'message for a job that does not exist');
    return 'missing';
  }
  if (claim.kind === 'stale') {
    await resendAfterCommit(runtime, work, claim.job, message);
    log('INFO', 'stale or repeated message ignored', { currentState: claim.job.state });
    return 'stale';
  }
  if (claim.kind === 'paused') {
    // Resuming the job publishes its state's message again; until then the work waits.
    log('NOTICE', "the job is paused (its tenant's budget is used up); message acknowledged without work");
    return 'paused';
  }

  const started = Date.now();
  let outcome: StageOutcome;
  try {
    outcome = await work.run({ job: claim.job, message, eventId: message.eventId, runtime });
  } catch (error) {
    if (!(error instanceof JobFailure)) {
      await recordFailure(runtime, message, holder, error as Error);
      throw error;
    }
    const patch: JobPatch = { ...error.findings, error: { state: message.state, reason: error.message } };
    outcome = { kind: 'advance', next: 'ERROR', reason: error.message, patch, ...error.spent };
  }
  const durationMs = Date.now() - started;

  const committed = await jobs.update(message.jobId, (current) => {
    if (!awaitsWork(current, message) || current.leases[workKey]?.holder !== holder) return { job: null, result: null };
    const now = clock();
    const costLedger = [...current.costLedger, ...(outcome.ledger ?? [])];
    const { [workKey]: _released, ...leases } = current.leases;
    const withWork: Job = {
      ...current,
      ...resolvePatch(outcome.patch, current),
      costLedger,
      totalCostUsd: ledgerTotal(costLedger),
      providerEvents: [...current.providerEvents, ...(outcome.events ?? [])],
      leases,
      lastFailure: null,
      updatedAt: now.toISOString(),
    };
    if (outcome.kind === 'settle') {
      const settled: Job = { ...withWork, settledWork: [...current.settledWork, workKey] };
      if (message.step === undefined) {
        const timing = current.timings[message.state] ?? { attempts: 1 };
        settled.timings = { ...current.timings, [message.state]: { ...timing, finishedAt: now.toISOString(), durationMs } };
      }
      return { job: settled, result: settled };
    }
    const { job: moved } = applyTransition(withWork, { to: outcome.next, reason: outcome.reason, causeEventId: message.eventId }, now);
    return { job: moved, result: moved };
  });
  if (committed === null) {
    log('WARNING', 'result discarded: the job moved on while the work ran');
    return 'stale';
  }
  const costUsd = ledgerTotal(outcome.ledger ?? []);
  log('INFO', outcome.reason, { durationMs, next: committed.state, costUsd, jobCostUsd: committed.totalCostUsd });
  if (outcome.kind === 'advance') await publishState(runtime.events, committed);
  else await publishAll(runtime, work.followUps?.(committed, message) ?? []);
  return 'done';
}

/** For a message whose work already committed: publish again what that commit should have sent on. */
async function resendAfterCommit(runtime: Runtime, work: StageWork, job: Job, message: StageMessage): Promise<void> {
  const last = job.stateHistory[job.stateHistory.length - 1];
  if (last.causeEventId === message.eventId && last.from === message.state) {
    await publishState(runtime.events, job);
    return;
  }
  const stillCurrent = job.state === message.state && job.stateEventId === message.eventId;
  if (stillCurrent && job.settledWork.includes(workKeyOf(message))) await publishAll(runtime, work.followUps?.(job, message) ?? []);
}

type Claim = { kind: 'claimed' | 'stale' | 'paused'; job: Job } | { kind: 'missing' };

/**
 * Takes the work's lease for this delivery, in the same read that decides whether the message is stale;
 * throws StageBusyError while another delivery holds a live lease on the same work.
 */
async function claimLease(runtime: Runtime, message: StageMessage, holder: string): Promise<Claim> {
  const workKey = workKeyOf(message);
  try {
    return await runtime.jobs.update<Claim>(message.jobId, (job) => {
      if (!awaitsWork(job, message)) return { job: null, result: { kind: 'stale', job } };
      // A closing state always runs: it settles the job's budget and ends any hold on it.
      if (isPaused(job) && !STAGE_TABLE[job.state].terminal) return { job: null, result: { kind: 'paused', job } };
      const now = runtime.clock();
      const lease = job.leases[workKey];
      if (lease !== undefined && Date.parse(lease.expiresAt) > now.getTime()) throw new StageBusyError(job.id, workKey);
      const claimed: Job = {
        ...job,
        leases: { ...job.leases, [workKey]: { holder, expiresAt: new Date(now.getTime() + timeoutSecOf(message) * 1000).toISOString() } },
        updatedAt: now.toISOString(),
      };
      if (message.step === undefined) {
        const timing = job.timings[message.state] ?? { attempts: 0 };
        claimed.timings = {
          ...job.timings,
          [message.state]: { ...timing, attempts: timing.attempts + 1, startedAt: timing.startedAt ?? now.toISOString() },
        };
      }
      return { job: claimed, result: { kind: 'claimed', job: claimed } };
    });
  } catch (error) {
    if (error instanceof JobNotFoundError) return { kind: 'missing' };
    throw error;
  }
}

/** Keeps the error for the dead-letter handler and frees the lease so the redelivery can start at once. */
async function recordFailure(runtime: Runtime, message: StageMessage, holder: string, error: Error): Promise<void> {
  const workKey = workKeyOf(message);
  log('ERROR', `work failed, will be retried: ${error.message}`);
  await runtime.jobs.update(message.jobId, (job) => {
    if (job.leases[workKey]?.holder !== holder) return { job: null, result: undefined };
    const at = runtime.clock().toISOString();
    const { [workKey]: _released, ...leases } = job.leases;
    return { job: { ...job, leases, lastFailure: { state: message.state, message: error.message, at }, updatedAt: at }, result: undefined };
  });
}
