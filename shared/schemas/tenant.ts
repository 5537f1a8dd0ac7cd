import { z } from 'zod';

/** A calendar month in UTC, as YYYY-MM: the period a tenant's budget counts. */
export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
export type Month = z.infer<typeof MonthSchema>;

/** The most a tenant's monthly budget may be, in USD: above this it is surely a mistake. */
export const MAX_MONTHLY_USD = 1_000_000;

/**
 * A tenant's monthly spending limit and what is spent or set aside against it in `month`, in USD. Spending counts
 * in the month a job closes; what running jobs set aside carries over into a new month (their cost lands then).
 */
export const TenantBudgetSchema = z.strictObject({
  monthlyUsd: z.number().min(0).max(MAX_MONTHLY_USD),
  month: MonthSchema,
  /** What the jobs closed in `month` cost. */
  spentUsd: z.number().min(0).default(0),
  /** The estimates of the jobs still running, set aside when they were submitted. */
  reservedUsd: z.number().min(0).default(0),
  /** The thresholds (percent of monthlyUsd) the budget check has alerted on in `month`. */
  alertedPercents: z.array(z.number().int().positive()).default([]),
  /** When the budget check found the budget used up and paused the queued work; null while it is not. */
  exhaustedAt: z.iso.datetime().nullable().default(null),
  updatedAt: z.iso.datetime(),
});
export type TenantBudget = z.infer<typeof TenantBudgetSchema>;

/** The document `tenants/{tenant}`; other fields belong to other features and are left alone. */
export const TenantDocumentSchema = z.object({
  budget: TenantBudgetSchema.optional(),
});

/** What a job set aside of its tenant's budget when it was submitted. */
export const ReservationSchema = z.strictObject({
  usd: z.number().min(0),
  /** The month the budget was in when the reservation was made. */
  month: MonthSchema,
  at: z.iso.datetime(),
});
export type Reservation = z.infer<typeof ReservationSchema>;

/** A closed job's cost counted against its tenant's budget and its reservation released: done once per job. */
export const BudgetSettlementSchema = z.strictObject({
  at: z.iso.datetime(),
  /** The month the cost was counted in (the month the job closed). */
  month: MonthSchema,
  releasedUsd: z.number().min(0),
  spentUsd: z.number().min(0),
});
export type BudgetSettlement = z.infer<typeof BudgetSettlementSchema>;
