import type { DocumentReference, DocumentSnapshot, Firestore, Transaction } from '@google-cloud/firestore';
import { z } from 'zod';
import { currentBudget, newBudget, remainingOf, reserve, settle, withLimit } from '../../domain/budget';
import { JobNotFoundError } from '../../ports/job_store';
import type { JobAdmission, TenantBudgets } from '../../ports/tenant_budgets';
import type { Batch } from '../../schemas/batch';
import type { Job } from '../../schemas/job';
import { BudgetSettlementSchema, ReservationSchema, TenantBudgetSchema, TenantDocumentSchema, type BudgetSettlement, type TenantBudget } from '../../schemas/tenant';
import { committingNewJobs, createNewJobs, JOB_COLLECTIONS, type JobCollections } from './new_jobs';

/** The fields of a job document settlement reads. */
const SettledJobSchema = z.object({
  reservation: ReservationSchema.nullable().default(null),
  budgetSettlement: BudgetSettlementSchema.nullable().default(null),
});

/** Contended admissions of one tenant queue on its document; give each a few more tries than the default five. */
const MAX_ATTEMPTS = 10;

function storedBudget(snapshot: DocumentSnapshot): TenantBudget | null {
  if (!snapshot.exists) return null;
  return TenantDocumentSchema.parse(snapshot.data()).budget ?? null;
}

function estimateUsdOf(job: Job): number {
  if (job.estimate === null) throw new Error(`job ${job.id} has no estimate to reserve`);
  return job.estimate.totalUsd;
}

/**
 * Budgets in `tenants/{tenant}.budget` ({monthlyUsd, month, spentUsd, reservedUsd, alertedPercents, exhaustedAt});
 * a tenant without one has no limit. Every change runs in a Firestore transaction on the tenant's document, with the
 * jobs whose reservation or settlement it records, so the figures always add up.
 */
export class FirestoreTenantBudgets implements TenantBudgets {
  private readonly collections: JobCollections;
  /** The transaction each tenant's document last queued in this instance. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Firestore,
    private readonly collection = 'tenants',
    collections: Partial<JobCollections> = {},
  ) {
    this.collections = { ...JOB_COLLECTIONS, ...collections };
  }

  private ref(tenant: string): DocumentReference {
    return this.db.collection(this.collection).doc(tenant);
  }

  /**
   * Runs a transaction on a tenant's document once the previous one this instance started on it has ended. Firestore
   * keeps transactions of different instances apart; within one instance, queueing here beats contending there, where
   * a transaction that loses the document's lock retries after a backoff that starts at a second.
   */
  private transaction<T>(tenant: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
    const turn = (this.queues.get(tenant) ?? Promise.resolve()).then(() => this.db.runTransaction(work, { maxAttempts: MAX_ATTEMPTS }));
    const ended = turn.catch(() => undefined);
    this.queues.set(tenant, ended);
    void ended.then(() => {
      if (this.queues.get(tenant) === ended) this.queues.delete(tenant);
    });
    return turn;
  }

  private write(tx: Transaction, tenant: string, budget: TenantBudget): void {
    tx.set(this.ref(tenant), { budget: TenantBudgetSchema.parse(budget) }, { merge: true });
  }

  async get(tenant: string, now: Date): Promise<TenantBudget | null> {
    const budget = storedBudget(await this.ref(tenant).get());
    return budget === null ? null : currentBudget(budget, now);
  }

  async remainingUsd(tenant: string, now: Date, heldUsd = 0): Promise<number | null> {
    const budget = await this.get(tenant, now);
    return budget === null ? null : remainingOf(budget, heldUsd);
  }

  async list(now: Date): Promise<Array<{ tenant: string; budget: TenantBudget }>> {
    const snapshot = await this.db.collection(this.collection).where('budget.monthlyUsd', '>=', 0).get();
    return snapshot.docs.map((doc) => ({ tenant: doc.id, budget: currentBudget(storedBudget(doc)!, now) }));
  }

  setLimit(tenant: string, monthlyUsd: number, now: Date): Promise<{ before: TenantBudget | null; after: TenantBudget }> {
    return this.transaction(tenant, async (tx) => {
      const stored = storedBudget(await tx.get(this.ref(tenant)));
      const before = stored === null ? null : currentBudget(stored, now);
      const after = before === null ? newBudget(monthlyUsd, now) : withLimit(before, monthlyUsd, now);
      this.write(tx, tenant, after);
      return { before, after };
    });
  }

  async admit({ tenant, jobs, audit, batch }: JobAdmission, now: Date): Promise<Job[]> {
    const unreserved = jobs.map((job) => ({ ...job, reservation: null }));
    // No budget, no transaction: submissions of a tenant without a limit never queue on its document.
    if (storedBudget(await this.ref(tenant).get()) === null) {
      const write = this.db.batch();
      createNewJobs(this.db, write, this.collections, { jobs: unreserved, audit, batch });
      await committingNewJobs(jobs, () => write.commit());
      return unreserved;
    }
    return committingNewJobs(jobs, () =>
      this.transaction(tenant, async (tx) => {
        const stored = storedBudget(await tx.get(this.ref(tenant)));
        if (stored === null) {
          createNewJobs(this.db, tx, this.collections, { jobs: unreserved, audit, batch });
          return unreserved;
        }
        const current = currentBudget(stored, now);
        // Throws BudgetRefusedError, which ends the transaction with nothing written.
        const reserved = reserve(current, jobs.map(estimateUsdOf), now);
        const written = jobs.map((job) => ({ ...job, reservation: { usd: estimateUsdOf(job), month: current.month, at: now.toISOString() } }));
        createNewJobs(this.db, tx, this.collections, { jobs: written, audit, batch });
        this.write(tx, tenant, reserved);
        return written;
      }),
    );
  }

  async withdraw(jobs: readonly Job[], batch: Batch | null, now: Date): Promise<void> {
    const refs = jobs.map((job) => this.db.collection(this.collections.jobs).doc(job.id));
    const batchRef = batch === null ? null : this.db.collection(this.collections.batches).doc(batch.id);
    const reserving = jobs.filter((job) => job.reservation !== null);
    if (reserving.length === 0) {
      const write = this.db.batch();
      for (const ref of [...refs, ...(batchRef === null ? [] : [batchRef])]) write.delete(ref);
      await write.commit();
      return;
    }
    const tenant = reserving[0].tenant;
    await this.transaction(tenant, async (tx) => {
      const [tenantSnapshot, ...snapshots] = await tx.getAll(this.ref(tenant), ...refs);
      // Only what is still set aside is released: a job already gone or settled released its share before.
      const heldUsd = snapshots
        .filter((snapshot) => snapshot.exists)
        .map((snapshot) => SettledJobSchema.parse(snapshot.data()))
        .filter((job) => job.budgetSettlement === null)
        .reduce((sum, job) => sum + (job.reservation?.usd ?? 0), 0);
      const stored = storedBudget(tenantSnapshot);
      if (stored !== null && heldUsd > 0) this.write(tx, tenant, settle(currentBudget(stored, now), heldUsd, 0, now));
      for (const ref of [...refs, ...(batchRef === null ? [] : [batchRef])]) tx.delete(ref);
    });
  }

  settle(job: Pick<Job, 'id' | 'tenant'>, costUsd: number, now: Date): Promise<BudgetSettlement | null> {
    const jobRef = this.db.collection(this.collections.jobs).doc(job.id);
    return this.transaction(job.tenant, async (tx) => {
      const [tenantSnapshot, jobSnapshot] = await tx.getAll(this.ref(job.tenant), jobRef);
      if (!jobSnapshot.exists) throw new JobNotFoundError(job.id);
      const recorded = SettledJobSchema.parse(jobSnapshot.data());
      if (recorded.budgetSettlement !== null) return recorded.budgetSettlement;
      const stored = storedBudget(tenantSnapshot);
      if (stored === null) return null;
      const current = currentBudget(stored, now);
      const releasedUsd = recorded.reservation?.usd ?? 0;
      const settlement: BudgetSettlement = { at: now.toISOString(), month: current.month, releasedUsd, spentUsd: costUsd };
      this.write(tx, job.tenant, settle(current, releasedUsd, costUsd, now));
      tx.update(jobRef, { budgetSettlement: BudgetSettlementSchema.parse(settlement) });
      return settlement;
    });
  }

  recordAlerts(tenant: string, month: string, percents: readonly number[], now: Date): Promise<void> {
    return this.transaction(tenant, async (tx) => {
      const stored = storedBudget(await tx.get(this.ref(tenant)));
      if (stored === null) return;
      const current = currentBudget(stored, now);
      if (current.month !== month) return;
      const alertedPercents = [...new Set([...current.alertedPercents, ...percents])].sort((a, b) => a - b);
      this.write(tx, tenant, { ...current, alertedPercents, updatedAt: now.toISOString() });
    });
  }

  markExhausted(tenant: string, now: Date): Promise<TenantBudget | null> {
    return this.transaction(tenant, async (tx) => {
      const stored = storedBudget(await tx.get(this.ref(tenant)));
      if (stored === null) return null;
      const current = currentBudget(stored, now);
      const exhausted = current.spentUsd >= current.monthlyUsd;
      if (exhausted === (current.exhaustedAt !== null)) return current;
      const marked = { ...current, exhaustedAt: exhausted ? now.toISOString() : null, updatedAt: now.toISOString() };
      this.write(tx, tenant, marked);
      return marked;
    });
  }
}
