import { z } from 'zod';
import { MonthSchema } from './tenant';

const IsoTimeSchema = z.iso.datetime();
const PercentsSchema = z.array(z.number().int().positive());

/** How one tenant's budget stood when the budget check ran, and what the check did about it. */
export const TenantBudgetLineSchema = z.strictObject({
  tenant: z.string(),
  month: MonthSchema,
  monthlyUsd: z.number().min(0),
  spentUsd: z.number().min(0),
  reservedUsd: z.number().min(0),
  /** Spent as a share of the budget; the thresholds are judged on this (what is reserved may still not be spent). */
  spentPercent: z.number().min(0),
  /** Spent and reserved together as a share of the budget: what is committed. */
  committedPercent: z.number().min(0),
  /** Every threshold the spending has reached this month, and those first alerted on by this run. */
  crossedPercents: PercentsSchema,
  alertedPercents: PercentsSchema,
  exhausted: z.boolean(),
  pausedJobIds: z.array(z.string()),
  resumedJobIds: z.array(z.string()),
});
export type TenantBudgetLine = z.infer<typeof TenantBudgetLineSchema>;

/** One run of the scheduled budget check, in `budget_reports/{firing}`. */
export const BudgetReportSchema = z.strictObject({
  id: z.string(),
  scheduledAt: IsoTimeSchema,
  startedAt: IsoTimeSchema,
  finishedAt: IsoTimeSchema,
  tenants: z.array(TenantBudgetLineSchema),
  /** Paused jobs of tenants that have no budget (any more) or whose budget is not used up, let go by this run. */
  resumedElsewhereJobIds: z.array(z.string()),
});
export type BudgetReport = z.infer<typeof BudgetReportSchema>;

/** What a Cloud Billing budget notification reports (its JSON body, schema version 1.0), and its attributes. */
export const BillingNotificationSchema = z.object({
  budgetDisplayName: z.string(),
  /** The highest threshold (a fraction of the budget: 1.0 is 100 %) the cost has passed, when it has passed one. */
  alertThresholdExceeded: z.number().min(0).optional(),
  forecastThresholdExceeded: z.number().min(0).optional(),
  costAmount: z.number(),
  costIntervalStart: IsoTimeSchema,
  budgetAmount: z.number().min(0),
  budgetAmountType: z.string().optional(),
  currencyCode: z.string().min(1),
});
export type BillingNotification = z.infer<typeof BillingNotificationSchema>;

export const BillingAttributesSchema = z.object({
  billingAccountId: z.string().min(1),
  budgetId: z.string().min(1),
  schemaVersion: z.literal('1.0'),
});

/** The project's spending in one budget interval as Cloud Billing last reported it, in `billing_budget_reports/{id}`. */
export const BillingBudgetReportSchema = z.strictObject({
  /** `<budgetId>@<costIntervalStart>`: one report per budget and interval, updated by every notification. */
  id: z.string(),
  billingAccountId: z.string(),
  budgetId: z.string(),
  budgetDisplayName: z.string(),
  costIntervalStart: IsoTimeSchema,
  currencyCode: z.string(),
  costAmount: z.number(),
  budgetAmount: z.number().min(0),
  spentPercent: z.number(),
  alertThresholdExceeded: z.number().nullable(),
  forecastThresholdExceeded: z.number().nullable(),
  /** The thresholds alerted on in this interval so far. */
  alertedPercents: PercentsSchema,
  notifications: z.number().int().min(1),
  lastNotifiedAt: IsoTimeSchema,
});
export type BillingBudgetReport = z.infer<typeof BillingBudgetReportSchema>;
