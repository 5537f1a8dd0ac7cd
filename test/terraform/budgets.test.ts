import { expect } from 'chai';
import { BUDGET_ALERT } from '../../functions/services/check_budgets';
import { BILLING_BUDGET_ALERT } from '../../functions/services/record_billing_budget';
import { BUDGET_THRESHOLDS } from '../../shared/domain/budget';
import { SERVICE_TABLE } from '../../shared/stages';
import { metricFilter } from '../support/log_filter';
import { blocks, collect, loadTerraform, resource, serviceDefaults, variableDefault, type HclBody, type Terraform } from './hcl';

/** The fields the budget alert lines carry (functions/services/check_budgets.ts, record_billing_budget.ts). */
const ALERT_FIELDS = ['alert', 'tenant', 'month', 'thresholdPercent', 'spentUsd', 'budgetUsd', 'budgetId', 'costAmount', 'budgetAmount', 'currencyCode'];

/** What is wrong with the billing budget: its thresholds, its period, its scope or where it sends its notifications. */
function billingBudgetProblems(tf: Terraform): string[] {
  const problems: string[] = [];
  const budget = resource(tf, 'google_billing_budget', 'project');
  const settings = variableDefault(tf, 'billing_budget') as { threshold_percents: number[] };
  if (JSON.stringify(settings.threshold_percents) !== JSON.stringify(BUDGET_THRESHOLDS.map((percent) => percent / 100))) {
    problems.push(`thresholds ${JSON.stringify(settings.threshold_percents)} are not BUDGET_THRESHOLDS`);
  }
  const rules = blocks(blocks(budget, 'dynamic')[0] ?? {}, 'threshold_rules')[0];
  if (rules?.for_each !== '${var.billing_budget.threshold_percents}') problems.push('does not take its threshold rules from var.billing_budget');
  const filter = blocks(budget, 'budget_filter')[0] ?? {};
  if (filter.calendar_period !== 'MONTH') problems.push('is not monthly');
  if (JSON.stringify(filter.projects) !== JSON.stringify(['projects/${data.google_project.current.number}'])) problems.push('does not watch this project only');
  const updates = blocks(budget, 'all_updates_rule')[0] ?? {};
  if (updates.pubsub_topic !== '${google_pubsub_topic.service[local.billing_budget_service].id}' || tf.localValues.billing_budget_service !== 'billing-budget') {
    problems.push('does not notify the billing-budget service topic');
  }
  if (updates.schema_version !== '1.0') problems.push('asks for a notification schema the service does not read');
  return problems;
}

describe('terraform for budgets', () => {
  let tf: Terraform;

  before(async () => {
    tf = await loadTerraform();
  });

  it('declares the budget check and the billing-budget service as the service table has them', () => {
    const services = serviceDefaults(tf);
    expect(services['budget-check'].schedule).to.deep.equal({ cron: SERVICE_TABLE['budget-check'].schedule!.cron, time_zone: 'Etc/UTC' });
    expect(services['billing-budget'].topic).to.equal(SERVICE_TABLE['billing-budget'].topic);
    expect(services['billing-budget'].schedule, 'Cloud Billing publishes to it; no scheduler job').to.equal(undefined);
  });

  it('makes a monthly billing budget for the project, with the thresholds the services alert on, notifying the billing-budget topic', () => {
    expect(billingBudgetProblems(tf)).to.deep.equal([]);
    expect(resource(tf, 'google_billing_budget', 'project').for_each).to.equal('${local.billing_budgets}');
    expect(tf.localValues.billing_budgets).to.equal('${var.billing_account == null ? {} : { project = var.billing_account }}');
    expect(variableDefault(tf, 'billing_account'), 'no budget unless a billing account is given').to.equal(null);
    expect(variableDefault(tf, 'activate_apis')).to.include('billingbudgets.googleapis.com');
  });

  it('lets Cloud Billing publish to the topic', () => {
    const publisher = resource(tf, 'google_pubsub_topic_iam_member', 'billing_budget_publisher');
    expect(publisher).to.include({
      topic: '${google_pubsub_topic.service[local.billing_budget_service].name}',
      role: 'roles/pubsub.publisher',
      member: 'serviceAccount:billing-budget-alert@system.gserviceaccount.com',
    });
  });

  it('reports a billing budget whose thresholds, period or topic are wrong (so the test above can fail)', () => {
    const broken = collect(structuredClone(tf.files));
    (variableDefault(broken, 'billing_budget') as { threshold_percents: number[] }).threshold_percents = [0.5, 1];
    const budget = resource(broken, 'google_billing_budget', 'project');
    blocks(budget, 'budget_filter')[0].calendar_period = 'QUARTER';
    blocks(budget, 'all_updates_rule')[0].pubsub_topic = '${google_pubsub_topic.service["budget-check"].id}';
    expect(billingBudgetProblems(broken)).to.deep.equal([
      'thresholds [0.5,1] are not BUDGET_THRESHOLDS',
      'is not monthly',
      'does not notify the billing-budget service topic',
    ]);
  });

  it('counts the lines both services log on crossing a threshold, and alerts on either', () => {
    expect(metricFilter(tf, 'budget_alerts')).to.include(`jsonPayload.alert="${BUDGET_ALERT}"`);
    expect(metricFilter(tf, 'billing_budget_alerts')).to.include(`jsonPayload.alert="${BILLING_BUDGET_ALERT}"`);
    for (const metric of ['budget_alerts', 'billing_budget_alerts']) {
      const extractors = Object.values((resource(tf, 'google_logging_metric', metric).label_extractors ?? {}) as Record<string, string>);
      for (const extractor of extractors) expect(ALERT_FIELDS, `${metric}: ${extractor}`).to.include(/jsonPayload\.(\w+)/.exec(extractor)![1]);
    }
    const watched = blocks(resource(tf, 'google_monitoring_alert_policy', 'budget'), 'conditions').map((condition: HclBody) => String(blocks(condition, 'condition_threshold')[0].filter));
    expect(watched.map((filter) => /google_logging_metric\.(\w+)\.name/.exec(filter)?.[1])).to.deep.equal(['budget_alerts', 'billing_budget_alerts']);
  });
});
