import type { BillingBudgetReport, BudgetReport } from '../schemas/budget_report';

/** Where the budget check's reports (`budget_reports`) and the project's Cloud Billing figures (`billing_budget_reports`) are kept. */
export interface BudgetReportStore {
  /** Writes the report under its id (a check run again for the same firing replaces its report). */
  save(report: BudgetReport): Promise<void>;
  /** The billing report with this id, or null before its interval's first notification. */
  billing(id: string): Promise<BillingBudgetReport | null>;
  /** Replaces the billing report with what `update` makes of the stored one, in a transaction; resolves with it. */
  updateBilling(id: string, update: (stored: BillingBudgetReport | null) => BillingBudgetReport): Promise<BillingBudgetReport>;
}
