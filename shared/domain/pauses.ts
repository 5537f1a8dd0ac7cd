import type { Job } from '../schemas/job';
import type { State } from '../stages';

/**
 * The states in which the budget check holds a job while its tenant's budget is used up: the work before rendering.
 * A job already RENDERING (or checking its renders) goes on: its generated media are under way and paid for, its
 * backends were chosen to fit what was left, and stopping it would waste what it has spent.
 */
export const PAUSABLE_STATES: readonly State[] = ['SUBMITTED', 'INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'WAITING_APPROVAL'];

/** Whether the budget check holds the job: the stage runner acknowledges its messages without working. */
export function isPaused(job: Pick<Job, 'pauses'>): boolean {
  return job.pauses.at(-1)?.resumedAt === null;
}

/** The job held in its current state, or null when it is not in a state that is held (or already is). */
export function paused(job: Job, reason: string, now: Date): Job | null {
  if (!PAUSABLE_STATES.includes(job.state) || job.completedAt !== null || isPaused(job)) return null;
  const at = now.toISOString();
  return { ...job, pauses: [...job.pauses, { state: job.state, at, reason, resumedAt: null, resumeReason: null }], updatedAt: at };
}

/**
 * The job let go, or null when it is not held. Its activity time moves to `now`, so the stuck-job sweeper gives the
 * work that resumes its state's full timeout.
 */
export function resumed(job: Job, reason: string, now: Date): Job | null {
  if (!isPaused(job)) return null;
  const at = now.toISOString();
  const last = job.pauses[job.pauses.length - 1];
  return { ...job, pauses: [...job.pauses.slice(0, -1), { ...last, resumedAt: at, resumeReason: reason }], updatedAt: at };
}
