import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { UndecodableMessageError } from '../../../functions/pipeline/decode_message';
import { BILLING_BUDGET_ALERT, recordBillingBudget } from '../../../functions/services/record_billing_budget';
import type { BillingBudgetReport } from '../../../shared/schemas/budget_report';
import { SERVICE_TABLE } from '../../../shared/stages';
import { rejectionOf } from '../../support/rejection';
import { matches, metricFilter } from '../../support/log_filter';
import { loggedLines } from '../../support/log_lines';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';
import { loadTerraform } from '../../terraform/hcl';

/** A notification as Cloud Billing sends it (schema version 1.0): the JSON body of the Pub/Sub message. */
function notification(costAmount: number, alertThresholdExceeded?: number) {
  return {
    budgetDisplayName: 'aiprod aiprod-local',
    ...(alertThresholdExceeded === undefined ? {} : { alertThresholdExceeded }),
    costAmount,
    costIntervalStart: '2030-03-01T08:00:00Z',
    budgetAmount: 100.0,
    budgetAmountType: 'SPECIFIED_AMOUNT',
    currencyCode: 'USD',
  };
}

describe('Cloud Billing budget notifications', () => {
  let platform: TestPlatform;
  let db: Firestore;
  const budgetId = randomUUID();
  const attributes = { billingAccountId: '012345-6789AB-CDEF01', budgetId, schemaVersion: '1.0' };
  const reportId = `${budgetId}@2030-03-01T08:00:00.000Z`;

  before(async () => {
    platform = await testPlatform();
    db = new Firestore({ projectId: platform.projectId });
  });
  after(() => db.terminate());

  /** Publishes a notification to the service's topic and waits until its function has recorded it. */
  async function notify(body: unknown): Promise<BillingBudgetReport> {
    const ref = db.collection('billing_budget_reports').doc(reportId);
    const before = ((await ref.get()).data() as BillingBudgetReport | undefined)?.notifications ?? 0;
    await platform.runtime.events.publish(SERVICE_TABLE['billing-budget'].topic, body, attributes);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const report = (await ref.get()).data() as BillingBudgetReport | undefined;
      if ((report?.notifications ?? 0) > before) return report!;
      if (Date.now() > deadline) throw new Error('the notification was not recorded within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("records the project's figures per interval and alerts once on each threshold crossed", async () => {
    expect(await notify(notification(12.5))).to.include({ costAmount: 12.5, spentPercent: 12.5, alertThresholdExceeded: null, notifications: 1 });
    expect((await notify(notification(55.25, 0.5))).alertedPercents).to.deep.equal([50]);
    const at95 = await notify(notification(95, 0.9));
    expect(at95).to.deep.include({ budgetId, billingAccountId: attributes.billingAccountId, costAmount: 95, budgetAmount: 100, currencyCode: 'USD', alertedPercents: [50, 90] });
    expect((await notify(notification(95, 0.9))).alertedPercents, 'a repeated notification alerts on nothing new').to.deep.equal([50, 90]);
    const late = await notify(notification(55.25, 0.5));
    expect(late).to.include({ costAmount: 95, notifications: 5 });

    const tf = await loadTerraform();
    const lines = loggedLines(platform).filter((line) => line.alert === BILLING_BUDGET_ALERT && line.budgetId === budgetId);
    expect(lines.map((line) => [line.severity, line.thresholdPercent])).to.deep.equal([
      ['WARNING', 50],
      ['WARNING', 90],
    ]);
    expect(lines.every((line) => matches(metricFilter(tf, 'billing_budget_alerts'), line, 'aiprod-record-billing-budget'))).to.equal(true);
  });

  it('refuses a message that is not a budget notification, so it is retried and dead-lettered', async () => {
    const message = (data: unknown, attrs: Record<string, string>) => ({ data, attributes: attrs, messageId: 'm', publishTime: new Date() });
    const wrongBody = await rejectionOf(recordBillingBudget({ runtime: platform.runtime, message: message({ costAmount: 'lots' }, attributes), firing: null }));
    expect(wrongBody).to.be.instanceOf(UndecodableMessageError);
    expect(wrongBody.message).to.match(/not a Cloud Billing budget notification: .*costAmount/);
    const wrongSchema = await rejectionOf(recordBillingBudget({ runtime: platform.runtime, message: message(notification(1), { ...attributes, schemaVersion: '2.0' }), firing: null }));
    expect(wrongSchema.message).to.match(/attributes schemaVersion/);
  });
});
