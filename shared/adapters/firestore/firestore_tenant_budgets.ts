import type { Firestore } from '@google-cloud/firestore';
import type { TenantBudgets } from '../../ports/tenant_budgets';
import { remainingOf, TenantDocumentSchema } from '../../schemas/tenant';

/** Reads `tenants/{tenant}.budget` ({monthlyUsd, spentUsd, reservedUsd}); a tenant without one has no limit. */
export class FirestoreTenantBudgets implements TenantBudgets {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'tenants',
  ) {}

  async remainingUsd(tenant: string): Promise<number | null> {
    const snapshot = await this.db.collection(this.collection).doc(tenant).get();
    if (!snapshot.exists) return null;
    const { budget } = TenantDocumentSchema.parse(snapshot.data());
    return budget === undefined ? null : remainingOf(budget);
  }
}
