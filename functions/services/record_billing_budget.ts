import type { z } from 'zod';
import { crossedThresholds, percentOf } from '../../shared/domain/budget';
import { log } from '../../shared/logging';
import {
  BillingAttributesSchema,
  BillingNotificationSchema,
  type BillingBudgetReport,
  type BillingNotification,
} from '../../shared/schemas/budget_report';
import { UndecodableMessageError } from '../pipeline/decode_message';
import type { ServiceWork } from './service_work';

/** The value of the `alert` field on the line a crossed project threshold logs; terraform/monitoring.tf's metric matches it. */
export const BILLING_BUDGET_ALERT = 'billing-budget';

type BillingAttributes = z.infer<typeof BillingAttributesSchema>;

/** One report per budget and interval. */
function billingReportId(attributes: BillingAttributes, notification: BillingNotification): string {
  return `${attributes.budgetId}@${new Date(notification.costIntervalStart).toISOString()}`;
}

/**
 * The interval's report after one more notification. Within an interval the cost only grows, so a notification
 * delivered late (with a lower cost than the report has) adds to the count and changes no figure.
 */
export function billingReportOf(
  stored: BillingBudgetReport | null,
  notification: BillingNotification,
  attributes: BillingAttributes,
  alertedPercents: readonly number[],
  at: Date,
): BillingBudgetReport {
  const newer = stored === null || notification.costAmount >= stored.costAmount;
  const figures = newer
    ? {
        budgetDisplayName: notification.budgetDisplayName,
        currencyCode: notification.currencyCode,
        costAmount: notification.costAmount,
        budgetAmount: notification.budgetAmount,
        spentPercent: percentOf(notification.costAmount, notification.budgetAmount),
        alertThresholdExceeded: notification.alertThresholdExceeded ?? null,
        forecastThresholdExceeded: notification.forecastThresholdExceeded ?? null,
      }
    : stored;
  const lastNotifiedAt = stored === null || Date.parse(stored.lastNotifiedAt) < at.getTime() ? at.toISOString() : stored.lastNotifiedAt;
  return {
    id: billingReportId(attributes, notification),
    billingAccountId: attributes.billingAccountId,
    budgetId: attributes.budgetId,
    costIntervalStart: new Date(notification.costIntervalStart).toISOString(),
    budgetDisplayName: figures.budgetDisplayName,
    currencyCode: figures.currencyCode,
    costAmount: figures.costAmount,
    budgetAmount: figures.budgetAmount,
    spentPercent: figures.spentPercent,
    alertThresholdExceeded: figures.alertThresholdExceeded,
    forecastThresholdExceeded: figures.forecastThresholdExceeded,
    alertedPercents: [...new Set([...(stored?.alertedPercents ?? []), ...alertedPercents])].sort((a, b) => a - b),
    notifications: (stored?.notifications ?? 0) + 1,
    lastNotifiedAt,
  };
}

function issuesOf(error: z.ZodError): string {
  return error.issues.map((issue) => issue.path.join('.') || issue.message).join(', ');
}

/**
 * Handles a Cloud Billing budget notification (sent to its topic several times a day with the project's cost so far
 * in the budget's interval): records the figures in `billing_budget_reports/<budgetId>@<interval start>` and alerts
 * once per interval on each threshold the cost has crossed (50 / 90 / 100 %), with a log line a log-based metric
 * counts. The budget covers the whole project, so no tenant is told and no work is paused: the tenants' own budgets do
 * that.
 */
export const recordBillingBudget: ServiceWork = async ({ runtime, message }) => {
  const attributes = BillingAttributesSchema.safeParse(message.attributes);
  if (!attributes.success) throw new UndecodableMessageError(`not a Cloud Billing budget notification: attributes ${issuesOf(attributes.error)}`, message.attributes);
  const body = BillingNotificationSchema.safeParse(message.data);
  if (!body.success) throw new UndecodableMessageError(`not a Cloud Billing budget notification: ${issuesOf(body.error)}`, message.attributes);
  const notification = body.data;
  const id = billingReportId(attributes.data, notification);
  const alerted = (await runtime.budgetReports.billing(id))?.alertedPercents ?? [];
  const fresh = crossedThresholds(notification.costAmount, notification.budgetAmount).filter((percent) => !alerted.includes(percent));
  const spent = `${notification.costAmount} ${notification.currencyCode} of ${notification.budgetAmount} (${percentOf(notification.costAmount, notification.budgetAmount)} %)`;
  for (const percent of fresh) {
    log(percent >= 100 ? 'ERROR' : 'WARNING', `Cloud Billing budget "${notification.budgetDisplayName}": the project has spent ${spent} since ${notification.costIntervalStart}: the ${percent} % threshold is crossed`, {
      alert: BILLING_BUDGET_ALERT,
      budgetId: attributes.data.budgetId,
      thresholdPercent: percent,
      costAmount: notification.costAmount,
      budgetAmount: notification.budgetAmount,
      currencyCode: notification.currencyCode,
    });
  }
  // Recorded after alerting: a delivery that fails in between alerts again rather than never.
  const report = await runtime.budgetReports.updateBilling(id, (stored) => billingReportOf(stored, notification, attributes.data, fresh, message.publishTime));
  return `Cloud Billing budget "${report.budgetDisplayName}": ${spent}; ${fresh.length} thresholds alerted; report ${report.id}`;
};
