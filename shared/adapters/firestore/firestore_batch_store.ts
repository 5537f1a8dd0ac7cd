import type { Firestore } from '@google-cloud/firestore';
import type { BatchStore } from '../../ports/batch_store';
import { BatchSchema, type Batch } from '../../schemas/batch';
import type { Job } from '../../schemas/job';
import type { State } from '../../stages';
import { createNewJobs, JOB_COLLECTIONS } from './new_jobs';

/** Batches in the `batches` collection; their jobs go to `jobs` in the same atomic write. */
export class FirestoreBatchStore implements BatchStore {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'batches',
    private readonly jobsCollection = 'jobs',
  ) {}

  async create(batch: Batch, jobs: Job[]): Promise<void> {
    const write = this.db.batch();
    createNewJobs(this.db, write, { ...JOB_COLLECTIONS, jobs: this.jobsCollection, batches: this.collection }, { jobs, batch });
    await write.commit();
  }

  async get(id: string): Promise<Batch | null> {
    const snapshot = await this.db.collection(this.collection).doc(id).get();
    return snapshot.exists ? BatchSchema.parse(snapshot.data()) : null;
  }

  recordFinished(batchId: string, jobId: string, state: State, at: string): Promise<Batch> {
    const ref = this.db.collection(this.collection).doc(batchId);
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      if (!snapshot.exists) throw new Error(`batch ${batchId} does not exist`);
      const batch = BatchSchema.parse(snapshot.data());
      if (batch.finished[jobId] !== undefined || !batch.jobIds.includes(jobId)) return batch;
      const finished = { ...batch.finished, [jobId]: state };
      const complete = batch.jobIds.every((id) => finished[id] !== undefined);
      const updated: Batch = { ...batch, finished, completedAt: complete ? at : null };
      tx.set(ref, updated);
      return updated;
    });
  }
}
