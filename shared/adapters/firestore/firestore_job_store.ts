import { AggregateField, Firestore, type DocumentReference, type Query, type WhereFilterOp } from '@google-cloud/firestore';
import type { FilterField, FilterOp } from '../../domain/job_filters';
import { JobSchema, type Job } from '../../schemas/job';
import type { Page } from '../../ports/pagination';
import { pageOf } from './paginate';
import { JobExistsError, JobNotFoundError, type JobMutation, type JobQuery, type JobStore, type JobSummary } from '../../ports/job_store';
import { STATES, type State } from '../../stages';

/** gRPC status ALREADY_EXISTS, which Firestore returns when create() meets an existing document. */
const ALREADY_EXISTS = 6;

/** Where each filterable field lives in the job document. */
const FIELD_PATHS: Record<FilterField, string> = { state: 'state', preset: 'brief.preset', createdAt: 'createdAt', costUsd: 'totalCostUsd' };
const OPERATORS: Record<FilterOp, WhereFilterOp> = { '=': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', in: 'in', 'not-in': 'not-in' };

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

  async list(query: JobQuery): Promise<Page<Job>> {
    let selection: Query = this.db.collection(this.collection).where('tenant', '==', query.tenant);
    if (query.batchId !== undefined) selection = selection.where('batchId', '==', query.batchId);
    for (const filter of query.filters) selection = selection.where(FIELD_PATHS[filter.field], OPERATORS[filter.op], filter.value);
    // Firestore orders by the document id last on its own, so pages never overlap when two jobs share a time.
    return pageOf(this.db.collection(this.collection), selection.orderBy('createdAt', 'desc'), query, (data) => JobSchema.parse(data));
  }

  async summarize(tenant: string, since: string): Promise<JobSummary> {
    const tenantJobs = this.db.collection(this.collection).where('tenant', '==', tenant);
    // Aggregation queries: the server counts, however many jobs there are.
    const [counts, recent] = await Promise.all([
      Promise.all(STATES.map(async (state) => (await tenantJobs.where('state', '==', state).count().get()).data().count)),
      tenantJobs.where('createdAt', '>=', since).aggregate({ jobs: AggregateField.count(), cost: AggregateField.sum('totalCostUsd') }).get(),
    ]);
    const byState = Object.fromEntries(STATES.map((state, i) => [state, counts[i]])) as Record<State, number>;
    return { byState, jobsSince: recent.data().jobs, costUsdSince: Math.round((recent.data().cost ?? 0) * 1e8) / 1e8 };
  }

  watch(id: string, onChange: (job: Job) => void, onError: (error: Error) => void): () => void {
    return this.ref(id).onSnapshot((snapshot) => {
      if (snapshot.exists) onChange(JobSchema.parse(snapshot.data()));
    }, onError);
  }
}
