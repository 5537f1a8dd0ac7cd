import { log } from '../../shared/logging';
import { WebhookDeliveryMessageSchema } from '../../shared/schemas/webhook';
import { DeliveryBusyError } from './deliver_webhook';
import type { ServiceWork } from './service_work';

/**
 * Receives every delivery message Pub/Sub gave up on and marks its delivery failed in the log, with the last error
 * an attempt recorded, unless it has been settled since (a copy of the message succeeded).
 */
export const failWebhookDelivery: ServiceWork = async ({ runtime, message }) => {
  const parsed = WebhookDeliveryMessageSchema.safeParse(message.data);
  if (!parsed.success) {
    log('ERROR', 'dead letter names no webhook delivery; dropped', { attributes: message.attributes });
    return 'undecodable dead letter dropped';
  }
  const { deliveryId, webhookId } = parsed.data;
  const delivery = await runtime.webhookDeliveries.get(deliveryId);
  if (delivery === null) return `delivery ${deliveryId} no longer exists; nothing to mark`;
  const attempts = message.attributes.CloudPubSubDeadLetterSourceDeliveryCount ?? 'every';
  const reason = `gave up after ${attempts} delivery attempts: ${delivery.lastError ?? 'no error was recorded'}`;
  const marked = await runtime.webhookDeliveries.fail(deliveryId, reason, runtime.clock());
  if (marked === 'busy') throw new DeliveryBusyError(deliveryId);
  if (marked === 'failed') log('WARNING', `webhook delivery ${reason}`, { deliveryId, webhookId });
  return `delivery ${deliveryId}: ${marked === 'failed' ? reason : `${marked}; left as it is`}`;
};
