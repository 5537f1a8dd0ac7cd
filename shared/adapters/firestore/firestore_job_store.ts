import { Firestore, type DocumentReference } from '@google-cloud/firestore';
import { JobSchema, type Job } from '../../schemas/job';
import { JobExistsError, JobNotFoundError, type JobMutation, type JobStore } from '../../ports/job_store';

/** gRPC status ALREADY_EXISTS, which Firestore returns when create() meets an existing document. */
const ALREADY_EXISTS = 6;

/** Job documents in the `jobs` collection; every update runs in a Firestore transaction. */
export class FirestoreJobStore implements JobStore {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'jobs',
  ) {}

  private ref(id: string): DocumentReference {
    return this.db.collection(this.collection).doc(id);
  }

  async create(job: Job): Promise<void> {
    try {
      await this.ref(job.id).create(JobSchema.parse(job));
    } catch (error) {
      if ((error as { code?: number }).code === ALREADY_EXISTS) throw new JobExistsError(job.id);
      throw error;
    }
  }

  async get(id: string): Promise<Job | null> {
    const snapshot = await this.ref(id).get();
    return snapshot.exists ? JobSchema.parse(snapshot.data()) : null;
  }

  async update<T>(id: string, mutate: JobMutation<T>): Promise<T> {
    const ref = this.ref(id);
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      if (!snapshot.exists) throw new JobNotFoundError(id);
      const { job, result } = mutate(JobSchema.parse(snapshot.data()));
      if (job !== null) tx.set(ref, JobSchema.parse(job));
      return result;
    });
  }

  async delete(id: string): Promise<void> {
    await this.ref(id).delete();
  }

  async unfinished(): Promise<Job[]> {
    const snapshot = await this.db.collection(this.collection).where('completedAt', '==', null).get();
    return snapshot.docs.map((doc) => JobSchema.parse(doc.data()));
  }

  watch(id: string, onChange: (job: Job) => void, onError: (error: Error) => void): () => void {
    return this.ref(id).onSnapshot((snapshot) => {
      if (snapshot.exists) onChange(JobSchema.parse(snapshot.data()));
    }, onError);
  }
}
