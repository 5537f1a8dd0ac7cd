import { newDelivery } from '../../shared/domain/webhooks/events';
import { WebhookEventSchema } from '../../shared/schemas/webhook';
import { UndecodableMessageError } from '../pipeline/decode_message';
import { queueDelivery } from '../pipeline/publish_webhook_events';
import type { ServiceWork } from './service_work';

/**
 * Turns one event into one delivery per active webhook of its tenant subscribed to its type: each is recorded in the
 * delivery log under an id made of the event's and the webhook's, then queued. A repeated event finds its deliveries
 * recorded and queues again only those not settled (in case the first queueing was lost).
 */
export const fanOutWebhookEvent: ServiceWork = async ({ runtime, message }) => {
  const parsed = WebhookEventSchema.safeParse(message.data);
  if (!parsed.success) throw new UndecodableMessageError(`not a webhook event (${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')})`, message.attributes);
  const event = parsed.data;
  // An erased job's events must not be recorded again after its deliveries were erased with it.
  if ('jobId' in event.data && (await runtime.jobs.get(event.data.jobId)) === null) return `${event.type} ${event.id}: the job is gone; nothing queued`;
  const webhooks = (await runtime.webhooks.list(event.tenant)).filter((webhook) => webhook.active && (webhook.events as readonly string[]).includes(event.type));
  const now = runtime.clock();
  const queued = await Promise.all(
    webhooks.map(async (webhook) => {
      const delivery = await runtime.webhookDeliveries.open(newDelivery(event, webhook, now));
      if (delivery.status !== 'pending') return false;
      await queueDelivery(runtime.events, delivery);
      return true;
    }),
  );
  return `${event.type} ${event.id}: ${queued.filter(Boolean).length} deliveries queued for ${webhooks.length} webhooks`;
};
