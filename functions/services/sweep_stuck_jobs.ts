import { isPaused } from '../../shared/domain/pauses';
import { applyTransition } from '../../shared/domain/transitions';
import { log } from '../../shared/logging';
import type { Job } from '../../shared/schemas/job';
import { STAGE_TABLE, STEP_TABLE, STEPS, type State } from '../../shared/stages';
import { publishState } from '../pipeline/publish_state';
import type { Runtime } from '../runtime';
import type { ServiceWork } from './service_work';

/** States the sweeper leaves alone: WAITING_APPROVAL waits for a person, however long that takes. */
export const UNSWEPT_STATES: readonly State[] = ['WAITING_APPROVAL'];

/** How long a job may sit in a state without progress: the longest timeout of the state's work or of its steps. */
export function stallAfterSec(state: State): number {
  return Math.max(STAGE_TABLE[state].timeoutSec, ...STEPS.filter((kind) => STEP_TABLE[kind].state === state).map((kind) => STEP_TABLE[kind].timeoutSec));
}

/** The last time anything happened to the job: a transition, a claim, a commit, a recorded failure, or a sweep. */
function lastActivity(job: Job): number {
  const entered = Date.parse(job.stateHistory[job.stateHistory.length - 1].at);
  const swept = job.sweep?.eventId === job.stateEventId ? Date.parse(job.sweep.republishedAt) : 0;
  return Math.max(entered, Date.parse(job.updatedAt), swept);
}

/**
 * Seconds the job has made no progress in its state, or null while it may still be working, waits for a person, or
 * is paused by its budget (resuming it restarts the clock).
 */
export function stalledForSec(job: Job, now: Date): number | null {
  if (UNSWEPT_STATES.includes(job.state) || job.completedAt !== null) return null;
  if (isPaused(job) && !STAGE_TABLE[job.state].terminal) return null;
  if (Object.values(job.leases).some((lease) => Date.parse(lease.expiresAt) > now.getTime())) return null;
  const idleSec = Math.floor((now.getTime() - lastActivity(job)) / 1000);
  return idleSec > stallAfterSec(job.state) ? idleSec : null;
}

type SweepOutcome = 'republished' | 'failed' | 'gave-up' | 'none';

/** The same stall, judged again inside the transaction that acts on it. */
function sameStall(current: Job, seen: Job, now: Date): boolean {
  return current.stateEventId === seen.stateEventId && stalledForSec(current, now) !== null;
}

async function republish(runtime: Runtime, job: Job, now: Date, idleSec: number): Promise<SweepOutcome> {
  // Publishing first: a sweep recorded but never sent would fail the job at the next stall without a second chance.
  await publishState(runtime.events, job);
  await runtime.jobs.update(job.id, (current) => {
    if (current.stateEventId !== job.stateEventId) return { job: null, result: undefined };
    return { job: { ...current, sweep: { state: current.state, eventId: current.stateEventId, republishedAt: now.toISOString() } }, result: undefined };
  });
  log('WARNING', `${job.state} made no progress for ${idleSec} s; its message was published again`, { jobId: job.id, stage: job.state });
  return 'republished';
}

async function failOrGiveUp(runtime: Runtime, job: Job, now: Date, idleSec: number): Promise<SweepOutcome> {
  const republishedAt = job.sweep!.republishedAt;
  const lastError = job.lastFailure === null ? '' : `; last error: ${job.lastFailure.message}`;
  const reason = `${job.state} made no progress for ${idleSec} s after being re-published at ${republishedAt}${lastError}`;
  const outcome = await runtime.jobs.update<{ job: Job; kind: SweepOutcome } | null>(job.id, (current) => {
    if (!sameStall(current, job, now) || current.sweep?.gaveUpAt !== undefined) return { job: null, result: null };
    if (STAGE_TABLE[current.state].terminal) {
      // A finished job cannot fail; its closing work (receipt, clean-up) stays undone and is reported instead.
      const gaveUp = { ...current, sweep: { ...current.sweep!, gaveUpAt: now.toISOString() } };
      return { job: gaveUp, result: { job: gaveUp, kind: 'gave-up' } };
    }
    const { job: failed } = applyTransition(
      { ...current, error: { state: current.state, reason } },
      { to: 'ERROR', reason, causeEventId: `${current.stateEventId}:stalled` },
      now,
    );
    return { job: failed, result: { job: failed, kind: 'failed' } };
  });
  if (outcome === null) return 'none';
  log('ERROR', outcome.kind === 'failed' ? reason : `closing work of ${reason}`, { jobId: job.id, stage: job.state });
  if (outcome.kind === 'failed') await publishState(runtime.events, outcome.job);
  return outcome.kind;
}

/** What the sweeper does about one job at `now`. */
export async function sweepJob(runtime: Runtime, job: Job, now: Date): Promise<SweepOutcome> {
  const idleSec = stalledForSec(job, now);
  if (idleSec === null) return 'none';
  const sweptBefore = job.sweep?.eventId === job.stateEventId;
  if (!sweptBefore) return republish(runtime, job, now, idleSec);
  return job.sweep?.gaveUpAt === undefined ? failOrGiveUp(runtime, job, now, idleSec) : 'none';
}

/**
 * The stuck-job sweeper: a job that has not left its state (nor made progress in it) within that state's timeout
 * has its state's message published again, which makes the stage runner redo or resend whatever was lost; a job
 * that stalls again after that fails with the reason.
 */
export const sweepStuckJobs: ServiceWork = async ({ runtime }) => {
  const now = runtime.clock();
  const counts: Record<SweepOutcome, number> = { republished: 0, failed: 0, 'gave-up': 0, none: 0 };
  const jobs = await runtime.jobs.unfinished();
  for (const job of jobs) counts[await sweepJob(runtime, job, now)]++;
  return `swept ${jobs.length} unfinished jobs: ${counts.republished} re-published, ${counts.failed} failed, ${counts['gave-up']} left unclosed`;
};
