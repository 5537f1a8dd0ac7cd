import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreTenantBudgets } from '../../../../shared/adapters/firestore/firestore_tenant_budgets';
import { testPlatform } from '../../../support/root_hooks';
import { rejectionOf } from '../../../support/rejection';

describe('FirestoreTenantBudgets on the Firestore emulator', () => {
  let db: Firestore;
  let budgets: FirestoreTenantBudgets;

  before(async () => {
    db = new Firestore({ projectId: (await testPlatform()).projectId });
    budgets = new FirestoreTenantBudgets(db, 'budget_test_tenants');
  });
  after(() => db.terminate());

  it('is monthly limit less spent less reserved', async () => {
    await db.collection('budget_test_tenants').doc('acme').set({ name: 'Acme', budget: { monthlyUsd: 50, spentUsd: 12.5, reservedUsd: 7.25 } });
    expect(await budgets.remainingUsd('acme')).to.equal(30.25);
  });

  it('is null (no limit) for an unknown tenant or one without a budget, and never below zero', async () => {
    expect(await budgets.remainingUsd('nobody')).to.equal(null);
    await db.collection('budget_test_tenants').doc('free').set({ name: 'Free' });
    expect(await budgets.remainingUsd('free')).to.equal(null);
    await db.collection('budget_test_tenants').doc('over').set({ budget: { monthlyUsd: 10, spentUsd: 11 } });
    expect(await budgets.remainingUsd('over')).to.equal(0);
  });

  it('refuses a malformed budget rather than guess', async () => {
    await db.collection('budget_test_tenants').doc('broken').set({ budget: { monthlyUsd: 'lots' } });
    expect(await rejectionOf(budgets.remainingUsd('broken'))).to.match(/monthlyUsd/);
  });
});
