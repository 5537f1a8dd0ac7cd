import type { JobFilter } from '../domain/job_filters';
import type { AuditEntry } from '../schemas/audit';
import type { Job } from '../schemas/job';
import type { State } from '../stages';
import type { Page } from './pagination';

/** Result of a read-modify-write: the new document to save, or null to leave the job untouched. */
export type JobMutation<T> = (job: Job) => { job: Job | null; result: T };

/** Where job documents live (Firestore in both modes). Every mutation is atomic. */
export interface JobStore {
  /**
   * Writes a new job, and with it (in the same commit) the audit entry of its submission, so neither exists without
   * the other; rejects with JobExistsError when the id is taken.
   */
  create(job: Job, submission?: AuditEntry): Promise<void>;
  get(id: string): Promise<Job | null>;
  /** Runs `mutate` in a transaction, retried on contention; rejects with JobNotFoundError when absent. */
  update<T>(id: string, mutate: JobMutation<T>): Promise<T>;
  delete(id: string): Promise<void>;
  /** The tenant's jobs matching every filter, newest first; `after` continues from the job with that id. */
  list(query: JobQuery): Promise<Page<Job>>;
  /** How many of the tenant's jobs are in each state, and what the jobs created since `since` cost. */
  summarize(tenant: string, since: string): Promise<JobSummary>;
  /** Every job (of `tenant`, when given) whose closing work is not done yet (completedAt null): the working ones and those still closing. */
  unfinished(tenant?: string): Promise<Job[]>;
  /** Calls `onChange` with every new version of the job; returns the function that stops listening. */
  watch(id: string, onChange: (job: Job) => void, onError: (error: Error) => void): () => void;
}

export class JobNotFoundError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} does not exist`);
    this.name = 'JobNotFoundError';
  }
}

export class JobExistsError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} already exists`);
    this.name = 'JobExistsError';
  }
}

export interface JobSummary {
  byState: Record<State, number>;
  jobsSince: number;
  costUsdSince: number;
}

export interface JobQuery {
  tenant: string;
  filters: readonly JobFilter[];
  limit: number;
  /** Id of the last job of the previous page (the cursor). */
  after?: string;
}

