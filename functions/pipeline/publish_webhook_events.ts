import type { EventBus } from '../../shared/ports/event_bus';
import type { WebhookDelivery, WebhookDeliveryMessage, WebhookEvent } from '../../shared/schemas/webhook';
import { SERVICE_TABLE } from '../../shared/stages';

/** Hands events to the webhook fan-out (its function finds the webhooks subscribed to each). */
export async function publishWebhookEvents(events: EventBus, announced: readonly WebhookEvent[]): Promise<void> {
  const topic = SERVICE_TABLE['webhook-events'].topic;
  await Promise.all(announced.map((event) => events.publish(topic, event, { eventType: event.type, tenant: event.tenant })));
}

/** Queues one recorded delivery for the delivery function. */
export async function queueDelivery(events: EventBus, delivery: WebhookDelivery): Promise<void> {
  const message: WebhookDeliveryMessage = { deliveryId: delivery.id, eventId: delivery.eventId, webhookId: delivery.webhookId };
  await events.publish(SERVICE_TABLE['webhook-deliveries'].topic, message, { deliveryId: delivery.id, webhookId: delivery.webhookId });
}
