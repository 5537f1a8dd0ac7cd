import { AggregateField, Firestore, type DocumentReference, type Query, type WhereFilterOp } from '@google-cloud/firestore';
import type { FilterField, FilterOp } from '../../domain/job_filters';
import type { AuditEntry } from '../../schemas/audit';
import { JobSchema, type Job } from '../../schemas/job';
import { AUDIT_COLLECTION } from './firestore_audit_log';
import { committingNewJobs, createNewJobs, JOB_COLLECTIONS } from './new_jobs';
import type { Page } from '../../ports/pagination';
import { pageOf } from './paginate';
import { JobNotFoundError, type JobMutation, type JobQuery, type JobStore, type JobSummary } from '../../ports/job_store';
import { STATES, type State } from '../../stages';

/** Where each filterable field lives in the job document. */
export const JOB_FILTER_PATHS: Readonly<Record<FilterField, string>> = { state: 'state', preset: 'brief.preset', createdAt: 'createdAt', costUsd: 'totalCostUsd' };
const OPERATORS: Record<FilterOp, WhereFilterOp> = { '=': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', in: 'in', 'not-in': 'not-in' };

/** Job documents in the `jobs` collection; every update runs in a Firestore transaction. */
export class FirestoreJobStore implements JobStore {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'jobs',
    private readonly auditCollection = AUDIT_COLLECTION,
  ) {}

  private ref(id: string): DocumentReference {
    return this.db.collection(this.collection).doc(id);
  }

  async create(job: Job, submission?: AuditEntry): Promise<void> {
    const write = this.db.batch();
    createNewJobs(this.db, write, { ...JOB_COLLECTIONS, jobs: this.collection, audit: this.auditCollection }, { jobs: [job], audit: submission === undefined ? [] : [submission] });
    await committingNewJobs([job], () => write.commit());
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

  async unfinished(tenant?: string): Promise<Job[]> {
    const open = this.db.collection(this.collection).where('completedAt', '==', null);
    // Equality filters only: Firestore serves them from its single-field indexes, no composite index needed.
    const snapshot = await (tenant === undefined ? open : open.where('tenant', '==', tenant)).get();
    return snapshot.docs.map((doc) => JobSchema.parse(doc.data()));
  }

  async list(query: JobQuery): Promise<Page<Job>> {
    let selection: Query = this.db.collection(this.collection).where('tenant', '==', query.tenant);
    for (const filter of query.filters) selection = selection.where(JOB_FILTER_PATHS[filter.field], OPERATORS[filter.op], filter.value);
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
