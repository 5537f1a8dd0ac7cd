import type { DocumentData, DocumentReference, Firestore } from '@google-cloud/firestore';
import { JobExistsError } from '../../ports/job_store';
import { AuditEntrySchema, type AuditEntry } from '../../schemas/audit';
import { BatchSchema, type Batch } from '../../schemas/batch';
import { JobSchema, type Job } from '../../schemas/job';
import { AUDIT_COLLECTION } from './firestore_audit_log';

/** What a write batch and a transaction both do: create a document, failing the commit if it exists. */
export interface DocumentCreator {
  create(ref: DocumentReference, data: DocumentData): unknown;
}

/** Where new jobs, their audit entries and their batches are written. */
export interface JobCollections {
  jobs: string;
  audit: string;
  batches: string;
}

export const JOB_COLLECTIONS: JobCollections = { jobs: 'jobs', audit: AUDIT_COLLECTION, batches: 'batches' };

export interface NewJobs {
  jobs: readonly Job[];
  audit?: readonly AuditEntry[];
  batch?: Batch;
}

/** Adds to `writer` the creation of the jobs, their audit entries and their batch, each checked against its schema. */
export function createNewJobs(db: Firestore, writer: DocumentCreator, collections: JobCollections, { jobs, audit = [], batch }: NewJobs): void {
  if (batch !== undefined) writer.create(db.collection(collections.batches).doc(batch.id), BatchSchema.parse(batch));
  for (const job of jobs) writer.create(db.collection(collections.jobs).doc(job.id), JobSchema.parse(job));
  for (const entry of audit) writer.create(db.collection(collections.audit).doc(entry.id), AuditEntrySchema.parse(entry));
}

/** gRPC status ALREADY_EXISTS, which Firestore returns when create() meets an existing document. */
const ALREADY_EXISTS = 6;

/** Commits a write that creates jobs, turning a taken id into JobExistsError. */
export async function committingNewJobs<T>(jobs: readonly Job[], commit: () => Promise<T>): Promise<T> {
  try {
    return await commit();
  } catch (error) {
    if ((error as { code?: number }).code === ALREADY_EXISTS) throw new JobExistsError(jobs.map((job) => job.id).join(', '));
    throw error;
  }
}
