import type { Firestore } from '@google-cloud/firestore';
import type { BudgetReportStore } from '../../ports/budget_reports';
import { BillingBudgetReportSchema, BudgetReportSchema, type BillingBudgetReport, type BudgetReport } from '../../schemas/budget_report';

export class FirestoreBudgetReports implements BudgetReportStore {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'budget_reports',
    private readonly billingCollection = 'billing_budget_reports',
  ) {}

  async save(report: BudgetReport): Promise<void> {
    await this.db.collection(this.collection).doc(report.id).set(BudgetReportSchema.parse(report));
  }

  async billing(id: string): Promise<BillingBudgetReport | null> {
    const snapshot = await this.db.collection(this.billingCollection).doc(id).get();
    return snapshot.exists ? BillingBudgetReportSchema.parse(snapshot.data()) : null;
  }

  updateBilling(id: string, update: (stored: BillingBudgetReport | null) => BillingBudgetReport): Promise<BillingBudgetReport> {
    const ref = this.db.collection(this.billingCollection).doc(id);
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const report = BillingBudgetReportSchema.parse(update(snapshot.exists ? BillingBudgetReportSchema.parse(snapshot.data()) : null));
      tx.set(ref, report);
      return report;
    });
  }
}
