import { isPaused, paused, resumed } from '../../shared/domain/pauses';
import { log } from '../../shared/logging';
import type { Job } from '../../shared/schemas/job';
import { publishState } from '../pipeline/publish_state';
import type { Runtime } from '../runtime';

/**
 * Holds each of `jobs` that is queued (not yet rendering) and not held already: from now on the stage runner
 * acknowledges its messages without working. Resolves with the ids of the jobs it held.
 */
export async function pauseQueuedJobs(runtime: Runtime, jobs: readonly Job[], reason: string, now: Date): Promise<string[]> {
  const held: string[] = [];
  for (const job of jobs) {
    // Judged again in the transaction: the job may have moved on since it was listed.
    if (paused(job, reason, now) === null) continue;
    const pausedJob = await runtime.jobs.update(job.id, (current) => {
      const next = paused(current, reason, now);
      return { job: next, result: next };
    });
    if (pausedJob === null) continue;
    held.push(job.id);
    log('WARNING', `job paused in ${pausedJob.state}: ${reason}`, { jobId: job.id, tenant: job.tenant, stage: pausedJob.state });
  }
  return held;
}

/**
 * Lets each held job of `jobs` go and publishes its state's message again, so its work resumes (the exactly-once
 * stage runner does what is still to do, and nothing twice). Resolves with the ids of the jobs it let go.
 */
export async function resumePausedJobs(runtime: Runtime, jobs: readonly Job[], reason: string, now: Date): Promise<string[]> {
  const released: string[] = [];
  for (const job of jobs.filter(isPaused)) {
    const resumedJob = await runtime.jobs.update(job.id, (current) => {
      const next = resumed(current, reason, now);
      return { job: next, result: next };
    });
    if (resumedJob === null) continue;
    released.push(job.id);
    try {
      await publishState(runtime.events, resumedJob);
    } catch (error) {
      // The stuck-job sweeper makes good a lost publish: the job is no longer held and its clock restarted.
      log('ERROR', `resumed job not re-published: ${(error as Error).message}`, { jobId: job.id, tenant: job.tenant });
      continue;
    }
    log('NOTICE', `job resumed in ${resumedJob.state}: ${reason}`, { jobId: job.id, tenant: job.tenant, stage: resumedJob.state });
  }
  return released;
}
