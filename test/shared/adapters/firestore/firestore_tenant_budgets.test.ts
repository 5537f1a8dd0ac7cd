import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreTenantBudgets } from '../../../../shared/adapters/firestore/firestore_tenant_budgets';
import { BudgetRefusedError } from '../../../../shared/domain/budget';
import { newJob } from '../../../../shared/domain/new_job';
import type { AuditEntry } from '../../../../shared/schemas/audit';
import type { Batch } from '../../../../shared/schemas/batch';
import type { Job } from '../../../../shared/schemas/job';
import { validBrief } from '../../../support/fixtures';
import { rejectionOf } from '../../../support/rejection';
import { testPlatform } from '../../../support/root_hooks';

const COLLECTIONS = { jobs: 'budget_test_jobs', audit: 'budget_test_audit', batches: 'budget_test_batches' };
const JAN = new Date('2031-01-20T12:00:00Z');
const FEB = new Date('2031-02-01T00:00:05Z');

describe('FirestoreTenantBudgets on the Firestore emulator', () => {
  let db: Firestore;
  let projectId: string;
  let budgets: FirestoreTenantBudgets;

  const tenantId = () => `t-${randomUUID().slice(0, 8)}`;
  const estimated = (tenant: string, usd: number, batchId?: string): Job => ({
    ...newJob({ id: `job_${randomUUID().replace(/-/g, '')}`, tenant, brief: validBrief(), createdBy: null, batchId }, JAN),
    estimate: { lines: [], totalUsd: usd },
  });
  const auditOf = (job: Job): AuditEntry => ({
    id: `audit_${randomUUID().replace(/-/g, '')}`,
    at: JAN.toISOString(),
    tenant: job.tenant,
    actor: null,
    action: 'job.created',
    target: { type: 'job', id: job.id },
    requestId: null,
    details: {},
  });
  const exists = async (collection: string, id: string) => (await db.collection(collection).doc(id).get()).exists;
  const stored = async (id: string) => (await db.collection(COLLECTIONS.jobs).doc(id).get()).data() as Job;

  before(async () => {
    projectId = (await testPlatform()).projectId;
    db = new Firestore({ projectId });
    budgets = new FirestoreTenantBudgets(db, 'budget_test_tenants', COLLECTIONS);
  });
  after(() => db.terminate());

  describe('what is left', () => {
    it('is the limit less spent and reserved, handing back what the asking job reserved', async () => {
      await db.collection('budget_test_tenants').doc('acme').set({ name: 'Acme', budget: { monthlyUsd: 50, month: '2031-01', spentUsd: 12.5, reservedUsd: 7.25, updatedAt: JAN.toISOString() } });
      expect(await budgets.remainingUsd('acme', JAN)).to.equal(30.25);
      expect(await budgets.remainingUsd('acme', JAN, 7.25)).to.equal(37.5);
      expect(await budgets.remainingUsd('acme', FEB), 'in February nothing is spent yet; January’s running jobs still hold theirs').to.equal(42.75);
    });

    it('is null (no limit) for an unknown tenant or one without a budget, and never below zero', async () => {
      expect(await budgets.remainingUsd('nobody', JAN)).to.equal(null);
      await db.collection('budget_test_tenants').doc('free').set({ name: 'Free' });
      expect(await budgets.remainingUsd('free', JAN)).to.equal(null);
      await db.collection('budget_test_tenants').doc('over').set({ budget: { monthlyUsd: 10, month: '2031-01', spentUsd: 11, updatedAt: JAN.toISOString() } });
      expect(await budgets.remainingUsd('over', JAN)).to.equal(0);
    });

    it('refuses a malformed budget rather than guess', async () => {
      await db.collection('budget_test_tenants').doc('broken').set({ budget: { monthlyUsd: 'lots', month: '2031-01', updatedAt: JAN.toISOString() } });
      expect(await rejectionOf(budgets.remainingUsd('broken', JAN))).to.match(/monthlyUsd/);
    });
  });

  describe('admission', () => {
    it('writes the jobs of a tenant without a budget with no reservation and no tenant document', async () => {
      const tenant = tenantId();
      const job = estimated(tenant, 0.5);
      const [written] = await budgets.admit({ tenant, jobs: [job], audit: [auditOf(job)] }, JAN);
      expect(written.reservation).to.equal(null);
      expect((await stored(job.id)).reservation).to.equal(null);
      expect(await exists('budget_test_tenants', tenant)).to.equal(false);
    });

    it("sets a job's estimate aside with the job and its audit entry, or writes none of them", async () => {
      const tenant = tenantId();
      await budgets.setLimit(tenant, 1, JAN);
      const job = estimated(tenant, 0.6);
      const audit = auditOf(job);
      const [written] = await budgets.admit({ tenant, jobs: [job], audit: [audit] }, JAN);
      expect(written.reservation).to.deep.equal({ usd: 0.6, month: '2031-01', at: JAN.toISOString() });
      expect((await stored(job.id)).reservation).to.deep.equal(written.reservation);
      expect(await exists(COLLECTIONS.audit, audit.id)).to.equal(true);
      expect((await budgets.get(tenant, JAN))?.reservedUsd).to.equal(0.6);

      const refused = estimated(tenant, 0.5);
      const refusedAudit = auditOf(refused);
      const error = await rejectionOf(budgets.admit({ tenant, jobs: [refused], audit: [refusedAudit] }, JAN));
      expect(error).to.be.instanceOf(BudgetRefusedError);
      expect((error as BudgetRefusedError).code).to.equal('budget_exceeded');
      expect(await exists(COLLECTIONS.jobs, refused.id)).to.equal(false);
      expect(await exists(COLLECTIONS.audit, refusedAudit.id)).to.equal(false);
      expect((await budgets.get(tenant, JAN))?.reservedUsd).to.equal(0.6);
    });

    it('reserves a batch together or not at all', async () => {
      const tenant = tenantId();
      await budgets.setLimit(tenant, 1, JAN);
      const batchId = `batch_${randomUUID().replace(/-/g, '')}`;
      const jobs = [estimated(tenant, 0.4, batchId), estimated(tenant, 0.4, batchId), estimated(tenant, 0.4, batchId)];
      const batch: Batch = { id: batchId, tenant, jobIds: jobs.map((job) => job.id), createdAt: JAN.toISOString(), createdBy: null, finished: {}, completedAt: null };
      expect(await rejectionOf(budgets.admit({ tenant, jobs, audit: [], batch }, JAN))).to.match(/the estimates of these 3 jobs total \$1\.20 is more than the \$1\.00 left/);
      expect(await exists(COLLECTIONS.batches, batchId)).to.equal(false);
      expect(await Promise.all(jobs.map((job) => exists(COLLECTIONS.jobs, job.id)))).to.deep.equal([false, false, false]);
      const written = await budgets.admit({ tenant, jobs: jobs.slice(0, 2), audit: [], batch: { ...batch, jobIds: batch.jobIds.slice(0, 2) } }, JAN);
      expect(written.map((job) => job.reservation?.usd)).to.deep.equal([0.4, 0.4]);
      expect((await budgets.get(tenant, JAN))?.reservedUsd).to.equal(0.8);
    });

    it('never reserves more than the budget, however many admissions race on however many instances', async () => {
      const tenant = tenantId();
      await budgets.setLimit(tenant, 1, JAN);
      // Each instance queues its own admissions; those of different instances meet in Firestore's transactions.
      const clients = Array.from({ length: 5 }, () => new Firestore({ projectId }));
      const instances = clients.map((client) => new FirestoreTenantBudgets(client, 'budget_test_tenants', COLLECTIONS));
      const jobs = Array.from({ length: 20 }, () => estimated(tenant, 0.15));
      const outcomes = await Promise.allSettled(jobs.map((job, i) => instances[i % instances.length].admit({ tenant, jobs: [job], audit: [] }, JAN)));
      await Promise.all(clients.map((client) => client.terminate()));
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason);
      expect(refused.every((reason) => reason instanceof BudgetRefusedError), String(refused.find((reason) => !(reason instanceof BudgetRefusedError)))).to.equal(true);
      expect(outcomes.length - refused.length).to.equal(6);
      const written = (await db.collection(COLLECTIONS.jobs).where('tenant', '==', tenant).get()).docs.map((doc) => doc.data() as Job);
      expect(written).to.have.length(6);
      expect((await budgets.get(tenant, JAN))?.reservedUsd).to.equal(0.9);
    });
  });

  describe('settlement', () => {
    it("releases a closed job's reservation and counts its cost once, however often it is settled", async () => {
      const tenant = tenantId();
      await budgets.setLimit(tenant, 1, JAN);
      const [job] = await budgets.admit({ tenant, jobs: [estimated(tenant, 0.3)], audit: [] }, JAN);
      const settlements = await Promise.all([budgets.settle(job, 0.25, JAN), budgets.settle(job, 0.25, JAN), budgets.settle(job, 0.25, JAN)]);
      expect(settlements[0]).to.deep.equal({ at: JAN.toISOString(), month: '2031-01', releasedUsd: 0.3, spentUsd: 0.25 });
      expect(settlements[1]).to.deep.equal(settlements[0]);
      expect(await budgets.get(tenant, JAN)).to.include({ reservedUsd: 0, spentUsd: 0.25 });
      expect((await stored(job.id)).budgetSettlement).to.deep.equal(settlements[0]);
    });

    it('counts a job that reserved in one month and closed in the next in the month it closed', async () => {
      const tenant = tenantId();
      await budgets.setLimit(tenant, 1, JAN);
      const [running, done] = await budgets.admit({ tenant, jobs: [estimated(tenant, 0.3), estimated(tenant, 0.4)], audit: [] }, JAN);
      await budgets.settle(done, 0.5, JAN);
      expect(await budgets.get(tenant, JAN)).to.include({ month: '2031-01', spentUsd: 0.5, reservedUsd: 0.3 });
      expect(await budgets.get(tenant, FEB), 'February starts from zero; the running job still holds its share').to.include({ month: '2031-02', spentUsd: 0, reservedUsd: 0.3 });
      expect(await budgets.settle(running, 0.2, FEB)).to.include({ month: '2031-02', releasedUsd: 0.3, spentUsd: 0.2 });
      expect(await budgets.get(tenant, FEB)).to.include({ month: '2031-02', spentUsd: 0.2, reservedUsd: 0 });
    });

    it('counts the cost of a job that reserved nothing, and does nothing for a tenant without a budget', async () => {
      const budgeted = tenantId();
      const [before] = await budgets.admit({ tenant: budgeted, jobs: [estimated(budgeted, 0.3)], audit: [] }, JAN);
      await budgets.setLimit(budgeted, 1, JAN);
      expect(await budgets.settle(before, 0.1, JAN)).to.include({ releasedUsd: 0, spentUsd: 0.1 });
      const free = tenantId();
      const [unlimited] = await budgets.admit({ tenant: free, jobs: [estimated(free, 0.3)], audit: [] }, JAN);
      expect(await budgets.settle(unlimited, 0.1, JAN)).to.equal(null);
      expect((await stored(unlimited.id)).budgetSettlement).to.equal(null);
    });

    it('takes back jobs that could not be queued, releasing their reservations once', async () => {
      const tenant = tenantId();
      await budgets.setLimit(tenant, 1, JAN);
      const jobs = await budgets.admit({ tenant, jobs: [estimated(tenant, 0.3), estimated(tenant, 0.2)], audit: [] }, JAN);
      await budgets.withdraw(jobs, null, JAN);
      await budgets.withdraw(jobs, null, JAN);
      expect(await Promise.all(jobs.map((job) => exists(COLLECTIONS.jobs, job.id)))).to.deep.equal([false, false]);
      expect(await budgets.get(tenant, JAN)).to.include({ reservedUsd: 0, spentUsd: 0 });
    });
  });

  describe('the budget check’s marks', () => {
    it('records each threshold alerted once per month, ignoring a month that has passed', async () => {
      const tenant = tenantId();
      await budgets.setLimit(tenant, 1, JAN);
      await budgets.recordAlerts(tenant, '2031-01', [90, 50], JAN);
      await budgets.recordAlerts(tenant, '2031-01', [50], JAN);
      expect((await budgets.get(tenant, JAN))?.alertedPercents).to.deep.equal([50, 90]);
      await budgets.recordAlerts(tenant, '2031-01', [100], FEB);
      expect((await budgets.get(tenant, FEB))?.alertedPercents).to.deep.equal([]);
    });

    it('marks a budget used up when spent reaches the limit, and lifts the mark when the limit is raised', async () => {
      const tenant = tenantId();
      await budgets.setLimit(tenant, 0.2, JAN);
      const [job] = await budgets.admit({ tenant, jobs: [estimated(tenant, 0.1)], audit: [] }, JAN);
      expect((await budgets.markExhausted(tenant, JAN))?.exhaustedAt).to.equal(null);
      await budgets.settle(job, 0.25, JAN);
      expect((await budgets.markExhausted(tenant, JAN))?.exhaustedAt).to.equal(JAN.toISOString());
      const { before, after } = await budgets.setLimit(tenant, 5, JAN);
      expect(before?.exhaustedAt).to.equal(JAN.toISOString());
      expect(after).to.include({ monthlyUsd: 5, exhaustedAt: null, spentUsd: 0.25 });
      expect((await budgets.list(JAN)).map((entry) => entry.tenant)).to.include(tenant);
    });
  });
});
