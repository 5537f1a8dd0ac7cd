import { randomUUID } from 'node:crypto';
import { signDelivery, WEBHOOK_HEADERS } from '../../shared/domain/webhooks/signature';
import { log } from '../../shared/logging';
import { WebhookDeliveryMessageSchema, type DeliveryAttempt, type DeliveryStatus, type WebhookDelivery } from '../../shared/schemas/webhook';
import { SERVICE_TABLE } from '../../shared/stages';
import { UndecodableMessageError } from '../pipeline/decode_message';
import type { Runtime } from '../runtime';
import type { ServiceWork } from './service_work';

/** Another copy of the same delivery message is sending it; this one is nacked and comes back later. */
export class DeliveryBusyError extends Error {
  constructor(deliveryId: string) {
    super(`delivery ${deliveryId} is being attempted by another copy of its message`);
    this.name = 'DeliveryBusyError';
  }
}

/** An attempt that did not get a 2xx: thrown so Pub/Sub retries the message with backoff, then dead-letters it. */
export class DeliveryAttemptError extends Error {
  constructor(deliveryId: string, reason: string) {
    super(`delivery ${deliveryId} failed, will be retried: ${reason}`);
    this.name = 'DeliveryAttemptError';
  }
}

interface Outcome {
  attempt: DeliveryAttempt | null;
  status: DeliveryStatus;
  error: string | null;
  /** Set when the endpoint said it is gone for good. */
  deactivate?: string;
}

function decode(data: unknown, attributes: Record<string, string>) {
  const parsed = WebhookDeliveryMessageSchema.safeParse(data);
  if (!parsed.success) throw new UndecodableMessageError('not a webhook delivery message', attributes);
  return parsed.data;
}

/** Signs the event and POSTs it to the webhook; what came of it, as the log records it. */
async function attempt(runtime: Runtime, delivery: WebhookDelivery): Promise<Outcome> {
  const webhook = await runtime.webhooks.get(delivery.webhookId);
  const secret = webhook === null ? null : await runtime.webhooks.secretOf(webhook.id);
  if (webhook === null || secret === null || webhook.tenant !== delivery.tenant) {
    return { attempt: null, status: 'cancelled', error: 'the webhook was deleted before this was sent' };
  }
  if (!webhook.active) return { attempt: null, status: 'cancelled', error: `the webhook was deactivated: ${webhook.deactivationReason ?? 'no reason recorded'}` };
  const body = JSON.stringify(delivery.event);
  const sentAt = runtime.clock();
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  const headers = {
    [WEBHOOK_HEADERS.webhookId]: webhook.id,
    [WEBHOOK_HEADERS.deliveryId]: delivery.id,
    [WEBHOOK_HEADERS.event]: delivery.eventType,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signDelivery(secret, timestamp, body),
  };
  const response = await runtime.webhookTransport.post({ url: webhook.url, headers, body });
  // Counted from the log: neither Eventarc's nor the Functions Framework's push envelope carries Pub/Sub's count.
  const made = { attempt: delivery.attempts.length + 1, at: sentAt.toISOString(), durationMs: response.durationMs };
  if (response.kind === 'failed') return { attempt: { ...made, statusCode: null, error: response.reason }, status: 'pending', error: response.reason };
  const { statusCode } = response;
  if (statusCode >= 200 && statusCode < 300) return { attempt: { ...made, statusCode, error: null }, status: 'succeeded', error: null };
  if (statusCode === 410) {
    const gone = 'the endpoint answered 410 Gone; the webhook is deactivated';
    return { attempt: { ...made, statusCode, error: gone }, status: 'failed', error: gone, deactivate: gone };
  }
  const error = `the endpoint answered ${statusCode}`;
  return { attempt: { ...made, statusCode, error }, status: 'pending', error };
}

/**
 * Makes one attempt at one delivery, once per message however often it arrives: a settled or erased delivery is
 * left alone, and a lease keeps two copies from sending at once. A 2xx settles it; anything else is logged and
 * thrown, so Pub/Sub retries with the subscription's backoff and finally hands it to failWebhookDelivery.
 */
export const deliverWebhook: ServiceWork = async ({ runtime, message }) => {
  const { deliveryId } = decode(message.data, message.attributes);
  const holder = randomUUID();
  const now = runtime.clock();
  const leaseUntil = new Date(now.getTime() + SERVICE_TABLE['webhook-deliveries'].timeoutSec * 1000);
  const claim = await runtime.webhookDeliveries.claim(deliveryId, holder, now, leaseUntil);
  if (claim.kind === 'missing') return `delivery ${deliveryId} no longer exists (its job was erased); nothing sent`;
  if (claim.kind === 'settled') return `delivery ${deliveryId} is ${claim.delivery.status} already; nothing sent`;
  if (claim.kind === 'busy') throw new DeliveryBusyError(deliveryId);
  const { delivery } = claim;
  const settle = (outcome: Outcome) => runtime.webhookDeliveries.record(deliveryId, holder, outcome, runtime.clock().toISOString());
  let outcome: Outcome;
  try {
    outcome = await attempt(runtime, delivery);
  } catch (error) {
    // Frees the lease, so the redelivery can try at once.
    await settle({ attempt: null, status: 'pending', error: `the attempt could not be made: ${(error as Error).message}` });
    throw error;
  }
  await settle(outcome);
  if (outcome.deactivate !== undefined) await runtime.webhooks.deactivate(delivery.webhookId, outcome.deactivate, runtime.clock().toISOString());
  const fields = { deliveryId, webhookId: delivery.webhookId, eventId: delivery.eventId, attempt: outcome.attempt?.attempt };
  if (outcome.status === 'pending') {
    // A receiver's failure, not ours: a warning, so it does not count as an error of the platform.
    log('WARNING', `webhook delivery attempt failed: ${outcome.error}`, fields);
    throw new DeliveryAttemptError(deliveryId, outcome.error ?? 'no answer');
  }
  return `delivery ${deliveryId} ${outcome.status}${outcome.error === null ? '' : `: ${outcome.error}`}`;
};
