import type { ServiceName } from '../../shared/stages';
import { checkBudgets } from './check_budgets';
import { checkDisasterRecovery } from './check_disaster_recovery';
import { deliverWebhook } from './deliver_webhook';
import { failWebhookDelivery } from './fail_webhook_delivery';
import { fanOutWebhookEvent } from './fan_out_webhook_event';
import { recordBillingBudget } from './record_billing_budget';
import type { ServiceWork } from './service_work';
import { sweepStuckJobs } from './sweep_stuck_jobs';

/** The work of each entry of the service table. */
export const SERVICE_WORK: Readonly<Record<ServiceName, ServiceWork>> = {
  'stuck-jobs': sweepStuckJobs,
  'dr-check': checkDisasterRecovery,
  'webhook-events': fanOutWebhookEvent,
  'webhook-deliveries': deliverWebhook,
  'webhook-dead-letters': failWebhookDelivery,
  'budget-check': checkBudgets,
  'billing-budget': recordBillingBudget,
};
