import type { Batch } from '../schemas/batch';
import type { Job } from '../schemas/job';
import type { State } from '../stages';

/** Batches of jobs submitted in one request. */
export interface BatchStore {
  /** Writes the batch and all its jobs at once, or nothing. */
  create(batch: Batch, jobs: Job[]): Promise<void>;
  get(id: string): Promise<Batch | null>;
  /** Records (once) that one job of the batch finished in `state`; the call that records the last job completes the batch. */
  recordFinished(batchId: string, jobId: string, state: State, at: string): Promise<Batch>;
}
