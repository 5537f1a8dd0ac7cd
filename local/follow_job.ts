import type { JobStore } from '../shared/ports/job_store';
import type { Job, TransitionRecord } from '../shared/schemas/job';
import { STAGE_TABLE } from '../shared/stages';

/** Whether a job is in a terminal state and its closing work is done. */
export function isFinished(job: Job): boolean {
  return STAGE_TABLE[job.state].terminal && job.completedAt !== null;
}

/**
 * Follows a job with a realtime listener, calling `onTransition` once for each new state-history entry, and
 * resolves with the job once it has finished.
 */
export function followJob(jobs: JobStore, jobId: string, onTransition: (entry: TransitionRecord, job: Job) => void): Promise<Job> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const stop = jobs.watch(
      jobId,
      (job) => {
        for (const entry of job.stateHistory.slice(seen)) onTransition(entry, job);
        seen = Math.max(seen, job.stateHistory.length);
        if (isFinished(job)) {
          stop();
          resolve(job);
        }
      },
      (error) => {
        stop();
        reject(error);
      },
    );
  });
}
