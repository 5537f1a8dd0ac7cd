import { createHash, randomUUID } from 'node:crypto';
import type { Batch } from '../../schemas/batch';
import type { Job } from '../../schemas/job';
import type { TenantBudget } from '../../schemas/tenant';
import { PING_EVENT_TYPE, type Webhook, type WebhookDelivery, type WebhookEvent } from '../../schemas/webhook';

export type AnnouncedJob = Pick<Job, 'id' | 'tenant' | 'batchId' | 'state' | 'stateEventId' | 'stateHistory'>;

/**
 * The events a job's current state announces: job.created when it was just submitted; otherwise job.state_changed,
 * plus job.completed on DELIVERED and job.failed on ERROR. Ids and times come from the transition, so announcing
 * the same state again yields the same events.
 */
export function jobEvents(job: AnnouncedJob): WebhookEvent[] {
  const entry = job.stateHistory.find((transition) => transition.eventId === job.stateEventId);
  if (entry === undefined) throw new Error(`job ${job.id} has no transition ${job.stateEventId} in its history`);
  const base = { createdAt: entry.at, tenant: job.tenant, data: { jobId: job.id, batchId: job.batchId, state: entry.to, previousState: entry.from, reason: entry.reason } };
  const event = <T extends 'job.created' | 'job.state_changed' | 'job.completed' | 'job.failed'>(type: T) => ({ ...base, id: `${entry.eventId}:${type}`, type });
  if (entry.from === null) return [event('job.created')];
  const events: WebhookEvent[] = [event('job.state_changed')];
  if (entry.to === 'DELIVERED') events.push(event('job.completed'));
  if (entry.to === 'ERROR') events.push(event('job.failed'));
  return events;
}

/** The event of a complete batch; one id per batch, however often its completion is seen. */
export function batchCompletedEvent(batch: Batch): WebhookEvent {
  if (batch.completedAt === null) throw new Error(`batch ${batch.id} is not complete`);
  return {
    id: `batch.completed:${batch.id}`,
    type: 'batch.completed',
    createdAt: batch.completedAt,
    tenant: batch.tenant,
    data: { batchId: batch.id, jobIds: batch.jobIds, finished: batch.finished, completedAt: batch.completedAt },
  };
}

/** A tenant's spending crossed `percent` of its budget: one event per tenant, month and threshold, however often it is announced. */
export function budgetThresholdEvent(tenant: string, budget: Pick<TenantBudget, 'month' | 'spentUsd' | 'monthlyUsd'>, percent: number, now: Date): WebhookEvent {
  return {
    id: `budget.threshold:${tenant}:${budget.month}:${percent}`,
    type: 'budget.threshold',
    createdAt: now.toISOString(),
    tenant,
    data: { tenant, month: budget.month, thresholdPercent: percent, spentUsd: budget.spentUsd, budgetUsd: budget.monthlyUsd },
  };
}

/** A test event for one webhook: each ping is new. */
export function pingEvent(webhook: Pick<Webhook, 'id' | 'tenant'>, now: Date): WebhookEvent {
  return { id: `ping_${randomUUID().replace(/-/g, '')}`, type: PING_EVENT_TYPE, createdAt: now.toISOString(), tenant: webhook.tenant, data: { webhookId: webhook.id } };
}

/** One event's delivery to one webhook has one id, so a repeated event is delivered once. */
export function deliveryIdOf(eventId: string, webhookId: string): string {
  return `dlv_${createHash('sha256').update(`${eventId}:${webhookId}`).digest('hex').slice(0, 32)}`;
}

/** A delivery not attempted yet. */
export function newDelivery(event: WebhookEvent, webhook: Pick<Webhook, 'id' | 'tenant'>, now: Date): WebhookDelivery {
  const at = now.toISOString();
  return {
    id: deliveryIdOf(event.id, webhook.id),
    tenant: webhook.tenant,
    webhookId: webhook.id,
    eventId: event.id,
    eventType: event.type,
    jobId: 'jobId' in event.data ? event.data.jobId : null,
    event,
    status: 'pending',
    attempts: [],
    lastError: null,
    lease: null,
    createdAt: at,
    updatedAt: at,
  };
}
