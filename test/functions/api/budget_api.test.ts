import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { followJob } from '../../../local/follow_job';
import { formatUsd } from '../../../shared/domain/budget';
import type { Job } from '../../../shared/schemas/job';
import { STAGE_TABLE } from '../../../shared/stages';
import type { ApiClient } from '../../support/api_client';
import { budgetTenant, nextMonth, WAITING } from '../../support/budget_tenants';
import { shortBrief } from '../../support/fixtures';
import { jobInState } from '../../support/job_fixtures';
import { waitForJob } from '../../support/jobs';
import { adminClient } from '../../support/principals';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';


describe('budgets through the API', () => {
  let platform: TestPlatform;
  let db: Firestore;

  const jobsOf = async (tenant: string): Promise<Job[]> => (await db.collection('jobs').where('tenant', '==', tenant).get()).docs.map((doc) => doc.data() as Job);
  const settings = async (admin: ApiClient) => (await admin.get('/v1/settings/budget')).body;
  const setBudget = async (admin: ApiClient, monthlyUsd: number) => {
    const answer = await admin.put('/v1/settings/budget', { monthlyUsd });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body;
  };
  const estimateUsd = async (admin: ApiClient, brief: unknown): Promise<number> => (await admin.post('/v1/estimates', { brief })).body.estimate.totalUsd;
  /** Cancels the jobs and waits until each has closed (settling its budget). */
  const cancelAll = async (admin: ApiClient, ids: readonly string[]) => {
    await Promise.all(ids.map((id) => admin.post(`/v1/jobs/${id}/cancel`)));
    return Promise.all(ids.map((id) => followJob(platform.runtime.jobs, id, () => undefined)));
  };

  before(async () => {
    platform = await testPlatform();
    db = new Firestore({ projectId: platform.projectId });
  });
  afterEach(() => platform.clock.reset());
  after(() => db.terminate());

  it('answers a submission with its estimate (an offline job: function time, storage and download) and no reservation without a budget', async () => {
    const admin = adminClient(platform);
    const created = await admin.post('/v1/jobs', shortBrief(WAITING));
    expect(created.status).to.equal(201);
    expect(created.body.reservation).to.equal(null);
    expect(created.body.estimate.lines.map((line: { item: string }) => line.item)).to.deep.equal(['compute.vcpu', 'compute.memory', 'storage.standard', 'network.egress']);
    expect(created.body.estimate.totalUsd).to.be.greaterThan(0);
    const job = (await admin.get(`/v1/jobs/${created.body.id}`)).body;
    expect(job.estimate).to.deep.equal(created.body.estimate);
    expect(job.reservation).to.equal(null);
    await cancelAll(admin, [created.body.id]);
  });

  it('quotes a brief without creating a job, saying whether the budget can take it', async () => {
    const { tenant, admin } = await budgetTenant(platform, 'quote');
    const brief = shortBrief(WAITING);
    const free = await admin.post('/v1/estimates', { brief });
    expect(free.status).to.equal(200);
    expect(free.body).to.include({ remainingUsd: null, fits: true, refusal: null });
    const estimate = free.body.estimate.totalUsd as number;
    await setBudget(admin, estimate / 2);
    const tight = await admin.post('/v1/estimates', { brief });
    expect(tight.body).to.include({ fits: false, remainingUsd: estimate / 2 });
    expect(tight.body.refusal.code).to.equal('budget_exceeded');
    expect(await jobsOf(tenant)).to.deep.equal([]);
  });

  it('refuses a job whose estimate would take a tenant at 95 % past its budget, and takes it in the next month', async () => {
    const { tenant, admin } = await budgetTenant(platform, 'at95');
    const brief = shortBrief(WAITING);
    const estimate = await estimateUsd(admin, brief);
    const monthlyUsd = Math.round(estimate * 10 * 1e6) / 1e6;
    await setBudget(admin, monthlyUsd);
    // What the tenant's jobs already cost this month: 95 % of the budget, counted when they closed.
    const spent = await jobInState(platform, tenant, 'DELIVERED');
    await platform.runtime.generative.budgets.settle(spent, Math.round(monthlyUsd * 0.95 * 1e8) / 1e8, platform.runtime.clock());
    expect((await settings(admin)).spentPercent).to.equal(95);

    const refused = await admin.post('/v1/jobs', brief);
    expect(refused.status).to.equal(402);
    expect(refused.body.error.code).to.equal('budget_exceeded');
    const left = Math.round((monthlyUsd - Math.round(monthlyUsd * 0.95 * 1e8) / 1e8) * 1e8) / 1e8;
    expect(refused.body.error.message).to.equal(
      `the job's estimate ${formatUsd(estimate)} is more than the ${formatUsd(left)} left of this month's (${(await settings(admin)).month}) ${formatUsd(monthlyUsd)} budget`,
    );
    expect((await jobsOf(tenant)).map((job) => job.id)).to.deep.equal([spent.id]);

    platform.clock.shift(nextMonth());
    const created = await admin.post('/v1/jobs', brief);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.reservation).to.include({ usd: estimate, month: nextMonth().toISOString().slice(0, 7) });
    expect(await settings(admin)).to.include({ spentUsd: 0, reservedUsd: estimate });
    await waitForJob(platform, created.body.id, (job) => job.state === 'WAITING_APPROVAL');
    await cancelAll(admin, [created.body.id]);
  });

  it('never reserves more than the budget, however many submissions race', async () => {
    const { tenant, admin } = await budgetTenant(platform, 'race');
    const brief = shortBrief(WAITING);
    const estimate = await estimateUsd(admin, brief);
    const monthlyUsd = Math.round(estimate * 5.5 * 1e8) / 1e8;
    await setBudget(admin, monthlyUsd);
    const answers = await Promise.all(Array.from({ length: 20 }, () => admin.post('/v1/jobs', brief)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201), JSON.stringify(answers.find((a) => a.status >= 500)?.body)).to.have.length(5);
    expect(statuses.filter((status) => status === 402)).to.have.length(15);
    expect(answers.filter((answer) => answer.status === 402).every((answer) => answer.body.error.code === 'budget_exceeded')).to.equal(true);

    const reserved = (await jobsOf(tenant)).map((job) => job.reservation!.usd);
    expect(reserved).to.have.length(5);
    const total = Math.round(reserved.reduce((sum, usd) => sum + usd, 0) * 1e8) / 1e8;
    expect(total).to.be.at.most(monthlyUsd);
    expect((await settings(admin)).reservedUsd).to.equal(total);

    // Cancelled, each releases its reservation and counts what it cost: once.
    const closed = await cancelAll(admin, answers.filter((answer) => answer.status === 201).map((answer) => answer.body.id));
    const cost = Math.round(closed.reduce((sum, job) => sum + job.totalCostUsd, 0) * 1e8) / 1e8;
    expect(closed.every((job) => job.budgetSettlement?.releasedUsd === estimate)).to.equal(true);
    expect(await settings(admin)).to.include({ reservedUsd: 0, spentUsd: cost });
  });

  it('reserves a batch all together or not at all', async () => {
    const { tenant, admin } = await budgetTenant(platform, 'batch');
    const brief = shortBrief(WAITING);
    const estimate = await estimateUsd(admin, brief);
    await setBudget(admin, Math.round(estimate * 2.5 * 1e8) / 1e8);
    const refused = await admin.post('/v1/jobs:batch', { briefs: [brief, brief, brief] });
    expect(refused.status).to.equal(402);
    expect(refused.body.error.message).to.match(/^the estimates of these 3 jobs total/);
    expect(await jobsOf(tenant)).to.deep.equal([]);
    expect((await db.collection('batches').where('tenant', '==', tenant).get()).empty).to.equal(true);

    const created = await admin.post('/v1/jobs:batch', { briefs: [brief, brief] });
    expect(created.status).to.equal(201);
    expect(created.body.estimateUsd).to.equal(Math.round(estimate * 2 * 1e8) / 1e8);
    expect(created.body.jobs.map((job: { reservation: { usd: number } }) => job.reservation.usd)).to.deep.equal([estimate, estimate]);
    await cancelAll(
      admin,
      created.body.jobs.map((job: { id: string }) => job.id),
    );
  });

  it('takes back a job or batch that could not be queued, and what it set aside', async () => {
    const { tenant, admin } = await budgetTenant(platform, 'unqueued');
    await setBudget(admin, 1);
    platform.bus.fail = (topic) => topic === STAGE_TABLE.SUBMITTED.topic;
    try {
      const single = await admin.post('/v1/jobs', shortBrief(WAITING));
      expect(single.status).to.equal(503);
      expect(single.body.error.code).to.equal('queue_unavailable');
      expect((await admin.post('/v1/jobs:batch', { briefs: [shortBrief(WAITING), shortBrief(WAITING)] })).status).to.equal(503);
    } finally {
      platform.bus.fail = null;
    }
    expect(await jobsOf(tenant)).to.deep.equal([]);
    expect((await db.collection('batches').where('tenant', '==', tenant).get()).empty).to.equal(true);
    expect(await settings(admin)).to.include({ reservedUsd: 0, spentUsd: 0 });
  });

  it('settles a delivered job once, from its ledger, however often its messages are delivered', async () => {
    const { admin } = await budgetTenant(platform, 'settle');
    await setBudget(admin, 1);
    platform.bus.duplicate = true;
    try {
      const created = await admin.post('/v1/jobs', shortBrief({ keyMessages: ['Settled once'] }));
      expect(created.status).to.equal(201);
      const job = await followJob(platform.runtime.jobs, created.body.id, () => undefined);
      expect(job.state, job.error?.reason).to.equal('DELIVERED');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const settled = (await admin.get(`/v1/jobs/${job.id}`)).body;
      expect(settled.budgetSettlement).to.include({ releasedUsd: created.body.reservation.usd, spentUsd: job.totalCostUsd });
      expect(await settings(admin)).to.include({ reservedUsd: 0, spentUsd: job.totalCostUsd });
    } finally {
      platform.bus.duplicate = false;
    }
  });

  it('shows the budget settings to admins, records who changed them, and refuses what is not a budget', async () => {
    const { tenant, admin } = await budgetTenant(platform, 'settings');
    expect(await settings(admin)).to.include({ monthlyUsd: null, remainingUsd: null, exhausted: false });
    const set = await setBudget(admin, 25);
    expect(set).to.include({ monthlyUsd: 25, spentUsd: 0, reservedUsd: 0, remainingUsd: 25, spentPercent: 0, exhausted: false });
    expect(set.resumedJobIds).to.deep.equal([]);
    const audit = (await admin.get('/v1/audit?action=budget.updated')).body.items;
    expect(audit[0]).to.deep.include({ action: 'budget.updated', target: { type: 'tenant', id: tenant }, details: { fromUsd: null, toUsd: 25 } });
    for (const monthlyUsd of [-1, '25', 1e9, null]) {
      const answer = await admin.put('/v1/settings/budget', { monthlyUsd });
      expect(answer.status, String(monthlyUsd)).to.equal(400);
      expect(answer.body.error.code).to.equal('invalid_budget');
    }
    expect((await settings(admin)).monthlyUsd).to.equal(25);
  });
});
