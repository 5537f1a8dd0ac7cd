import { crossedThresholds, formatUsd, spentPercentOf } from '../../shared/domain/budget';
import { budgetThresholdEvent } from '../../shared/domain/webhooks/events';
import { roundUsd } from '../../shared/domain/prices';
import { isPaused } from '../../shared/domain/pauses';
import { log } from '../../shared/logging';
import type { TenantBudgetLine } from '../../shared/schemas/budget_report';
import type { Job } from '../../shared/schemas/job';
import type { TenantBudget } from '../../shared/schemas/tenant';
import { pauseQueuedJobs, resumePausedJobs } from '../budgets/hold_work';
import { publishWebhookEvents } from '../pipeline/publish_webhook_events';
import type { Runtime } from '../runtime';
import type { ServiceWork } from './service_work';

/** The value of the `alert` field on the line a crossed threshold logs; terraform/monitoring.tf's metric matches it. */
export const BUDGET_ALERT = 'budget';

/**
 * Alerts on each newly crossed threshold: a log line (WARNING, ERROR at 100 %) and a budget.threshold webhook event;
 * then records them, so they are not alerted on again this month.
 */
async function alertThresholds(runtime: Runtime, tenant: string, budget: TenantBudget, percents: readonly number[], now: Date): Promise<void> {
  const spent = `${formatUsd(budget.spentUsd)} of its ${formatUsd(budget.monthlyUsd)} budget for ${budget.month} (${spentPercentOf(budget)} %)`;
  for (const percent of percents) {
    const consequence = percent >= 100 ? '; new jobs are refused and queued ones paused until the budget is raised' : '';
    log(percent >= 100 ? 'ERROR' : 'WARNING', `tenant ${tenant} has spent ${spent}: the ${percent} % threshold is crossed${consequence}`, {
      alert: BUDGET_ALERT,
      tenant,
      month: budget.month,
      thresholdPercent: percent,
      spentUsd: budget.spentUsd,
      budgetUsd: budget.monthlyUsd,
    });
  }
  // The event ids are stable (tenant, month, threshold): an event announced again reaches each webhook once.
  await publishWebhookEvents(runtime.events, percents.map((percent) => budgetThresholdEvent(tenant, budget, percent, now)));
  // Recorded after alerting: a run that fails in between alerts again rather than never.
  await runtime.generative.budgets.recordAlerts(tenant, budget.month, percents, now);
}

/**
 * One tenant: alerts on the thresholds its spending crossed since the last alert; at 100 % marks the budget used up
 * and pauses the queued jobs, below it lifts the mark and resumes the paused ones.
 */
async function checkTenant(runtime: Runtime, tenant: string, budget: TenantBudget, jobs: readonly Job[], now: Date): Promise<TenantBudgetLine> {
  const crossed = crossedThresholds(budget.spentUsd, budget.monthlyUsd);
  const fresh = crossed.filter((percent) => !budget.alertedPercents.includes(percent));
  if (fresh.length > 0) await alertThresholds(runtime, tenant, budget, fresh, now);
  // Judged again on the budget as it is now: a limit raised since the list was read leaves nothing to pause.
  const marked = await runtime.generative.budgets.markExhausted(tenant, now);
  const reason = `tenant ${tenant} has spent ${formatUsd(budget.spentUsd)} of its ${formatUsd(budget.monthlyUsd)} budget for ${budget.month}`;
  const exhausted = marked !== null && marked.exhaustedAt !== null;
  const pausedJobIds = exhausted ? await pauseQueuedJobs(runtime, jobs, `${reason}: the budget is used up`, now) : [];
  const resumedJobIds = exhausted ? [] : await resumePausedJobs(runtime, jobs, `${reason}: the budget is no longer used up`, now);
  return {
    tenant,
    month: budget.month,
    monthlyUsd: budget.monthlyUsd,
    spentUsd: budget.spentUsd,
    reservedUsd: budget.reservedUsd,
    spentPercent: spentPercentOf(budget),
    committedPercent: spentPercentOf({ ...budget, spentUsd: roundUsd(budget.spentUsd + budget.reservedUsd) }),
    crossedPercents: crossed,
    alertedPercents: fresh,
    exhausted,
    pausedJobIds,
    resumedJobIds,
  };
}

/**
 * The scheduled budget check: for every tenant with a budget, compares what the jobs closed this month cost (spent;
 * what is reserved is reported, not judged: it may never be spent) with the budget; alerts once per threshold
 * (50 / 90 / 100 %) and month, with a log line a log-based metric counts; at 100 % pauses the queued jobs until the
 * budget is raised or a new month begins, and resumes them then. Each run writes `budget_reports/<firing>`.
 */
export const checkBudgets: ServiceWork = async ({ runtime, firing }) => {
  if (firing === null) throw new Error('the budget check runs for a firing of its schedule');
  const startedAt = runtime.clock();
  const [budgets, unfinished] = await Promise.all([runtime.generative.budgets.list(startedAt), runtime.jobs.unfinished()]);
  const tenants: TenantBudgetLine[] = [];
  for (const { tenant, budget } of budgets) {
    tenants.push(await checkTenant(runtime, tenant, budget, unfinished.filter((job) => job.tenant === tenant), startedAt));
  }
  const budgeted = new Set(budgets.map(({ tenant }) => tenant));
  const unheld = unfinished.filter((job) => !budgeted.has(job.tenant) && isPaused(job));
  const resumedElsewhereJobIds = await resumePausedJobs(runtime, unheld, 'its tenant has no budget', startedAt);
  await runtime.budgetReports.save({
    id: firing.key,
    scheduledAt: firing.scheduledAt.toISOString(),
    startedAt: startedAt.toISOString(),
    finishedAt: runtime.clock().toISOString(),
    tenants,
    resumedElsewhereJobIds,
  });
  const count = (pick: (line: TenantBudgetLine) => readonly unknown[]) => tenants.reduce((sum, line) => sum + pick(line).length, 0);
  const resumed = count((line) => line.resumedJobIds) + resumedElsewhereJobIds.length;
  return `checked ${tenants.length} budgets: ${count((line) => line.alertedPercents)} thresholds alerted, ${count((line) => line.pausedJobIds)} jobs paused, ${resumed} resumed; report ${firing.key}`;
};
