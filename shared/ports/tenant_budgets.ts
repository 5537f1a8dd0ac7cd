import type { AuditEntry } from '../schemas/audit';
import type { Batch } from '../schemas/batch';
import type { Job } from '../schemas/job';
import type { BudgetSettlement, TenantBudget } from '../schemas/tenant';

/** New jobs of one tenant to write at once: each with its estimate set, with their submission's audit entries and batch. */
export interface JobAdmission {
  tenant: string;
  jobs: Job[];
  audit: AuditEntry[];
  batch?: Batch;
}

/** What a tenant may spend each calendar month (UTC), what it has spent and what its running jobs have set aside. */
export interface TenantBudgets {
  /**
   * USD left to spend this month (limit less spent and reserved, `heldUsd` of the reserved handed back: a job's own
   * reservation), or null when the tenant has no budget.
   */
  remainingUsd(tenant: string, now: Date, heldUsd?: number): Promise<number | null>;
  /** The tenant's budget as it stands at `now` (a new month starts from zero), or null when none is set. */
  get(tenant: string, now: Date): Promise<TenantBudget | null>;
  /** Every tenant with a budget, each as it stands at `now`. */
  list(now: Date): Promise<Array<{ tenant: string; budget: TenantBudget }>>;
  /** Sets the monthly limit (a first one starts the budget); returns the budget before and after. */
  setLimit(tenant: string, monthlyUsd: number, now: Date): Promise<{ before: TenantBudget | null; after: TenantBudget }>;
  /**
   * Writes the admission's jobs, audit entries and batch in one commit. With a budget, the same transaction sets
   * each job's estimate aside (recorded as the job's reservation), or writes nothing and throws BudgetRefusedError;
   * without one nothing is reserved and no transaction runs. Resolves with the jobs as written.
   */
  admit(admission: JobAdmission, now: Date): Promise<Job[]>;
  /** Takes back jobs that could not be queued (and their batch), releasing what they set aside, in one commit. */
  withdraw(jobs: readonly Job[], batch: Batch | null, now: Date): Promise<void>;
  /**
   * Counts a closed job's cost against its tenant's budget and releases its reservation, once however often it is
   * called (the settlement is recorded on the job in the same transaction); resolves with the settlement, or null
   * when the tenant has no budget.
   */
  settle(job: Pick<Job, 'id' | 'tenant'>, costUsd: number, now: Date): Promise<BudgetSettlement | null>;
  /** Records that the thresholds were alerted on in `month` (nothing, once the budget has moved on to a later month). */
  recordAlerts(tenant: string, month: string, percents: readonly number[], now: Date): Promise<void>;
  /**
   * Marks the budget used up when what is spent has reached the limit, and lifts the mark when it has not (the limit
   * was raised, a new month began); resolves with the budget as marked, or null without one.
   */
  markExhausted(tenant: string, now: Date): Promise<TenantBudget | null>;
}
