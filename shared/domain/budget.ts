import type { Month, TenantBudget } from '../schemas/tenant';
import { roundUsd } from './prices';

/** The shares of a monthly budget (percent) whose crossing raises an alert; at the last one queued work is paused. */
export const BUDGET_THRESHOLDS = [50, 90, 100] as const;

/** The calendar month (UTC) `now` falls in. */
export function monthOf(now: Date): Month {
  return now.toISOString().slice(0, 7);
}

/**
 * The budget as it stands at `now`: a record from an earlier month starts the new month from zero spent and no
 * alerts, while the reservations of jobs still running carry over (they are released when those jobs close). A
 * record from a later month (another instance's clock ran ahead) is taken as it is.
 */
export function currentBudget(budget: TenantBudget, now: Date): TenantBudget {
  const month = monthOf(now);
  if (budget.month >= month) return budget;
  return { ...budget, month, spentUsd: 0, alertedPercents: [], exhaustedAt: null, updatedAt: now.toISOString() };
}

/** A budget set for the first time at `now`. */
export function newBudget(monthlyUsd: number, now: Date): TenantBudget {
  return { monthlyUsd, month: monthOf(now), spentUsd: 0, reservedUsd: 0, alertedPercents: [], exhaustedAt: null, updatedAt: now.toISOString() };
}

/**
 * What is left to spend: the limit less what is spent and set aside (never below zero). `heldUsd` is handed back
 * first: a job asking what it may spend counts its own reservation as its own.
 */
export function remainingOf(budget: TenantBudget, heldUsd = 0): number {
  return Math.max(0, roundUsd(budget.monthlyUsd - budget.spentUsd - Math.max(0, budget.reservedUsd - heldUsd)));
}

/** Used up: what the jobs closed this month cost has reached the limit, or the budget check found it so. */
export function isExhausted(budget: TenantBudget): boolean {
  return budget.exhaustedAt !== null || budget.spentUsd >= budget.monthlyUsd;
}

/** `spent` as a share of `budget`, in percent to two places (a zero budget counts as fully spent). */
export function percentOf(spent: number, budget: number): number {
  if (budget === 0) return 100;
  return Math.round((spent / budget) * 10_000) / 100;
}

/** How much of the limit is spent, in percent. */
export function spentPercentOf(budget: TenantBudget): number {
  return percentOf(budget.spentUsd, budget.monthlyUsd);
}

/** The thresholds the spending has reached. */
export function crossedThresholds(spentUsd: number, budgetUsd: number): number[] {
  return BUDGET_THRESHOLDS.filter((percent) => spentUsd >= roundUsd((budgetUsd * percent) / 100));
}

export function formatUsd(usd: number): string {
  return `$${usd.toFixed(usd >= 1 ? 2 : 4)}`;
}

export type BudgetRefusalCode = 'budget_exceeded' | 'budget_exhausted';

/** Why work cannot be admitted: the estimate is more than what is left, or the budget is used up. */
export class BudgetRefusedError extends Error {
  constructor(
    readonly code: BudgetRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'BudgetRefusedError';
  }
}

/**
 * Admits work estimated at `estimatesUsd` (one per job) against the budget, returning it with their sum set aside,
 * or throws BudgetRefusedError naming the estimate, what is left and the limit.
 */
export function reserve(budget: TenantBudget, estimatesUsd: readonly number[], now: Date): TenantBudget {
  const totalUsd = roundUsd(estimatesUsd.reduce((sum, usd) => sum + usd, 0));
  const limit = `this month's (${budget.month}) ${formatUsd(budget.monthlyUsd)} budget`;
  if (isExhausted(budget)) {
    throw new BudgetRefusedError(
      'budget_exhausted',
      `the tenant has used up ${limit} (${formatUsd(budget.spentUsd)} spent); no new work starts until the budget is raised or the month ends`,
    );
  }
  const remainingUsd = remainingOf(budget);
  if (totalUsd > remainingUsd) {
    const what = estimatesUsd.length === 1 ? "the job's estimate" : `the estimates of these ${estimatesUsd.length} jobs total`;
    throw new BudgetRefusedError('budget_exceeded', `${what} ${formatUsd(totalUsd)} is more than the ${formatUsd(remainingUsd)} left of ${limit}`);
  }
  return { ...budget, reservedUsd: roundUsd(budget.reservedUsd + totalUsd), updatedAt: now.toISOString() };
}

/** A closed job's reservation released and its cost counted. */
export function settle(budget: TenantBudget, reservedUsd: number, costUsd: number, now: Date): TenantBudget {
  return {
    ...budget,
    reservedUsd: Math.max(0, roundUsd(budget.reservedUsd - reservedUsd)),
    spentUsd: roundUsd(budget.spentUsd + costUsd),
    updatedAt: now.toISOString(),
  };
}

/** A new limit; raising it above what is spent lifts the budget check's exhausted mark. */
export function withLimit(budget: TenantBudget, monthlyUsd: number, now: Date): TenantBudget {
  const exhaustedAt = budget.spentUsd < monthlyUsd ? null : budget.exhaustedAt;
  return { ...budget, monthlyUsd, exhaustedAt, updatedAt: now.toISOString() };
}
