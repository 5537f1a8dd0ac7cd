import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { followJob } from '../../../local/follow_job';
import { BUDGET_ALERT, checkBudgets } from '../../../functions/services/check_budgets';
import type { Firing } from '../../../functions/services/firing';
import { stalledForSec } from '../../../functions/services/sweep_stuck_jobs';
import { isPaused } from '../../../shared/domain/pauses';
import type { BudgetReport } from '../../../shared/schemas/budget_report';
import type { Job } from '../../../shared/schemas/job';
import { SERVICE_TABLE } from '../../../shared/stages';
import { budgetTenant, nextMonth, WAITING } from '../../support/budget_tenants';
import { shortBrief } from '../../support/fixtures';
import { jobInState } from '../../support/job_fixtures';
import { waitForJob } from '../../support/jobs';
import { matches, metricFilter } from '../../support/log_filter';
import { loggedLines } from '../../support/log_lines';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';
import { loadTerraform, type Terraform } from '../../terraform/hcl';
import { publishWebhookEvents } from '../../../functions/pipeline/publish_webhook_events';
import { budgetThresholdEvent } from '../../../shared/domain/webhooks/events';
import { deleteAllWebhooks, storedWebhook } from '../../support/webhook_fixtures';
import { WebhookReceiver } from '../../support/webhook_receiver';


/** Runs the budget check as one firing of its schedule at the platform clock's time. */
async function check(platform: TestPlatform): Promise<BudgetReport['tenants']> {
  const scheduledAt = platform.runtime.clock();
  const firing: Firing = { service: 'budget-check', scheduledAt, key: `budget-check@${scheduledAt.toISOString()}` };
  await checkBudgets({ runtime: platform.runtime, message: { data: {}, attributes: {}, messageId: firing.key, publishTime: scheduledAt }, firing });
  const db = new Firestore({ projectId: platform.projectId });
  try {
    return ((await db.collection('budget_reports').doc(firing.key).get()).data() as BudgetReport).tenants;
  } finally {
    await db.terminate();
  }
}

/** The budget alert lines logged for a tenant so far. */
function alertLines(platform: TestPlatform, tenant: string): Record<string, unknown>[] {
  return loggedLines(platform).filter((line) => line.alert === BUDGET_ALERT && line.tenant === tenant);
}

describe('budget check', () => {
  let platform: TestPlatform;
  let tf: Terraform;

  before(async () => {
    platform = await testPlatform();
    tf = await loadTerraform();
  });
  afterEach(() => platform.clock.reset());

  /** Counts `usd` as spent by the tenant this month, as a job closing would. */
  const spend = async (tenant: string, usd: number) => platform.runtime.generative.budgets.settle(await jobInState(platform, tenant, 'DELIVERED'), usd, platform.runtime.clock());
  const lineOf = (lines: BudgetReport['tenants'], tenant: string) => lines.find((line) => line.tenant === tenant)!;

  it('alerts once per threshold and month, in lines the log-based metric counts and as budget.threshold events, and reports every run', async () => {
    const { tenant, admin } = await budgetTenant(platform, 'alerts');
    const receiver = await WebhookReceiver.start();
    receiver.secret = (await storedWebhook(platform, tenant, receiver.url(), ['budget.threshold'])).secret;
    await admin.put('/v1/settings/budget', { monthlyUsd: 1 });
    await spend(tenant, 0.55);
    expect(lineOf(await check(platform), tenant)).to.deep.include({ spentPercent: 55, crossedPercents: [50], alertedPercents: [50], exhausted: false });
    expect(lineOf(await check(platform), tenant).alertedPercents, 'a second run alerts on nothing new').to.deep.equal([]);
    await spend(tenant, 0.4);
    expect(lineOf(await check(platform), tenant)).to.deep.include({ crossedPercents: [50, 90], alertedPercents: [90] });

    const lines = alertLines(platform, tenant);
    expect(lines.map((line) => [line.severity, line.thresholdPercent])).to.deep.equal([
      ['WARNING', 50],
      ['WARNING', 90],
    ]);
    expect(lines[1]).to.include({ month: (await admin.get('/v1/settings/budget')).body.month, spentUsd: 0.95, budgetUsd: 1 });
    expect(lines.every((line) => matches(metricFilter(tf, 'budget_alerts'), line, 'aiprod-check-budgets'))).to.equal(true);
    expect((await admin.get('/v1/settings/budget')).body.alertedPercents).to.deep.equal([50, 90]);
    const month = lines[1].month as string;
    const at90 = await receiver.waitFor((request) => request.event?.data !== undefined && 'thresholdPercent' in request.event.data && request.event.data.thresholdPercent === 90);
    expect(at90.event).to.deep.include({ id: `budget.threshold:${tenant}:${month}:90`, type: 'budget.threshold', tenant });
    expect(at90.event!.data).to.deep.equal({ tenant, month, thresholdPercent: 90, spentUsd: 0.95, budgetUsd: 1 });
    // Announced again (a check that failed after alerting runs again), the event reaches the webhook once.
    await publishWebhookEvents(platform.runtime.events, [budgetThresholdEvent(tenant, { month, spentUsd: 0.95, monthlyUsd: 1 }, 90, new Date())]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received.map((request) => request.event?.id)).to.have.members([`budget.threshold:${tenant}:${month}:50`, `budget.threshold:${tenant}:${month}:90`]);
    await deleteAllWebhooks(platform, [tenant]);
    await receiver.close();

    // A new month starts over: nothing is spent, so nothing is alerted until spending crosses a threshold again.
    platform.clock.shift(nextMonth());
    expect(lineOf(await check(platform), tenant)).to.deep.include({ spentUsd: 0, crossedPercents: [], alertedPercents: [] });
    await spend(tenant, 0.5);
    expect(lineOf(await check(platform), tenant).alertedPercents).to.deep.equal([50]);
  });

  it('pauses queued jobs at 100 % and resumes them when the budget is raised; the jobs then complete', async () => {
    const { tenant, admin } = await budgetTenant(platform, 'pause');
    await admin.put('/v1/settings/budget', { monthlyUsd: 1 });
    const delivered = await followJob(platform.runtime.jobs, (await admin.post('/v1/jobs', shortBrief({ keyMessages: ['Spends first'] }))).body.id, () => undefined);
    expect(delivered.state, delivered.error?.reason).to.equal('DELIVERED');
    const ids: string[] = [];
    for (const keyMessage of ['Waits one', 'Waits two']) ids.push((await admin.post('/v1/jobs', shortBrief({ ...WAITING, keyMessages: [keyMessage] }))).body.id);
    await Promise.all(ids.map((id) => waitForJob(platform, id, (job) => job.state === 'WAITING_APPROVAL' && job.settledWork.includes(job.stateEventId))));

    // The limit comes down to what is spent: the budget is used up.
    await admin.put('/v1/settings/budget', { monthlyUsd: delivered.totalCostUsd });
    const refused = await admin.post('/v1/jobs', shortBrief());
    expect(refused.status).to.equal(402);
    expect(refused.body.error.code).to.equal('budget_exhausted');

    const line = lineOf(await check(platform), tenant);
    expect(line).to.deep.include({ exhausted: true, spentPercent: 100, alertedPercents: [50, 90, 100] });
    expect(line.pausedJobIds).to.have.members(ids);
    expect(alertLines(platform, tenant).at(-1)).to.include({ severity: 'ERROR', thresholdPercent: 100 });
    const view = (await admin.get(`/v1/jobs/${ids[0]}`)).body;
    expect(view.pauses).to.have.length(1);
    expect(view.pauses[0]).to.include({ state: 'WAITING_APPROVAL', resumedAt: null });
    expect((await admin.get(`/v1/jobs/${ids[0]}/logs`)).body.pauses[0].reason).to.match(/the budget is used up$/);
    expect((await admin.get('/v1/settings/budget')).body.exhausted).to.equal(true);

    // Approved while paused, the job moves on to RENDERING and waits there: nothing renders, and the sweeper leaves it be.
    expect((await admin.post(`/v1/jobs/${ids[0]}/approve`)).status).to.equal(200);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const held = (await platform.runtime.jobs.get(ids[0]))!;
    expect(held.state).to.equal('RENDERING');
    expect(isPaused(held)).to.equal(true);
    expect(held.render, 'no render was prepared').to.equal(null);
    expect(stalledForSec(held, new Date(Date.now() + 86_400_000))).to.equal(null);

    const raised = await admin.put('/v1/settings/budget', { monthlyUsd: 1 });
    expect(raised.body.resumedJobIds).to.have.members(ids);
    expect(raised.body.exhausted).to.equal(false);
    expect((await admin.post(`/v1/jobs/${ids[1]}/approve`)).status).to.equal(200);
    const done: Job[] = await Promise.all(ids.map((id) => followJob(platform.runtime.jobs, id, () => undefined)));
    expect(done.map((job) => job.state)).to.deep.equal(['DELIVERED', 'DELIVERED']);
    expect(done.every((job) => job.pauses.length === 1 && job.pauses[0].resumedAt !== null)).to.equal(true);
    expect(platform.renderer.maxRendersOfOneClip(ids[0])).to.equal(1);
    const after = lineOf(await check(platform), tenant);
    expect(after).to.deep.include({ exhausted: false, pausedJobIds: [], resumedJobIds: [] });
  });

  it('resumes paused work at the first check of a new month', async () => {
    const { tenant, admin } = await budgetTenant(platform, 'month');
    await admin.put('/v1/settings/budget', { monthlyUsd: 1 });
    const id = (await admin.post('/v1/jobs', shortBrief(WAITING))).body.id as string;
    await waitForJob(platform, id, (job) => job.state === 'WAITING_APPROVAL' && job.settledWork.includes(job.stateEventId));
    await spend(tenant, 1);
    expect(lineOf(await check(platform), tenant).pausedJobIds).to.deep.equal([id]);

    platform.clock.shift(nextMonth());
    const line = lineOf(await check(platform), tenant);
    expect(line).to.deep.include({ exhausted: false, spentUsd: 0, resumedJobIds: [id] });
    expect(line.reservedUsd, "the waiting job's reservation carried over").to.be.greaterThan(0);
    const job = (await platform.runtime.jobs.get(id))!;
    expect(job.pauses[0].resumeReason).to.match(/the budget is no longer used up$/);
    await admin.post(`/v1/jobs/${id}/cancel`);
    expect((await followJob(platform.runtime.jobs, id, () => undefined)).budgetSettlement?.month).to.equal(nextMonth().toISOString().slice(0, 7));
  });

  it('lets a paused job be cancelled: it closes, releases its reservation and its pause ends with it', async () => {
    const { tenant, admin } = await budgetTenant(platform, 'cancel');
    await admin.put('/v1/settings/budget', { monthlyUsd: 1 });
    const created = (await admin.post('/v1/jobs', shortBrief(WAITING))).body;
    await waitForJob(platform, created.id, (job) => job.state === 'WAITING_APPROVAL' && job.settledWork.includes(job.stateEventId));
    await spend(tenant, 1);
    expect(lineOf(await check(platform), tenant).pausedJobIds).to.deep.equal([created.id]);
    expect((await admin.post(`/v1/jobs/${created.id}/cancel`)).status).to.equal(200);
    const closed = await followJob(platform.runtime.jobs, created.id, () => undefined);
    expect(closed.state).to.equal('CANCELLED');
    expect(closed.pauses[0]).to.include({ resumeReason: 'the job ended CANCELLED' });
    expect(closed.budgetSettlement).to.include({ releasedUsd: created.reservation.usd });
    expect((await admin.get('/v1/settings/budget')).body.reservedUsd).to.equal(0);
  });

  it('is fed by its topic: a firing published there is checked by the deployed function and reported', async () => {
    const scheduledAt = new Date(Date.UTC(2030, 5, 1, 0, 15)).toISOString();
    await platform.runtime.events.publish(SERVICE_TABLE['budget-check'].topic, { service: 'budget-check', scheduledAt }, { service: 'budget-check' });
    const db = new Firestore({ projectId: platform.projectId });
    try {
      const ref = db.collection('budget_reports').doc(`budget-check@${scheduledAt}`);
      const deadline = Date.now() + 20_000;
      while (!(await ref.get()).exists && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await ref.get()).data()?.scheduledAt).to.equal(scheduledAt);
    } finally {
      await db.terminate();
    }
  });
});
