import { expect } from 'chai';
import { DeliveryBusyError } from '../../../functions/services/deliver_webhook';
import { failWebhookDelivery } from '../../../functions/services/fail_webhook_delivery';
import { newDelivery, pingEvent } from '../../../shared/domain/webhooks/events';
import type { WebhookDelivery } from '../../../shared/schemas/webhook';
import { rejectionOf } from '../../support/rejection';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';

const WEBHOOK = { id: 'whk_fa11fa11fa11fa11fa11fa11', tenant: 'dead-letter-test' };

describe('webhook dead-letter function', () => {
  let platform: TestPlatform;
  const run = (delivery: WebhookDelivery | null, attributes: Record<string, string> = {}) =>
    failWebhookDelivery({
      runtime: platform.runtime,
      message: { data: delivery === null ? { nonsense: true } : { deliveryId: delivery.id, eventId: delivery.eventId, webhookId: delivery.webhookId }, attributes, messageId: 'm', publishTime: new Date() },
      firing: null,
    });

  before(async () => {
    platform = await testPlatform();
  });

  async function failedOnce(): Promise<WebhookDelivery> {
    const delivery = await platform.runtime.webhookDeliveries.open(newDelivery(pingEvent(WEBHOOK, new Date()), WEBHOOK, new Date()));
    await platform.runtime.webhookDeliveries.claim(delivery.id, 'h', new Date(), new Date(Date.now() + 60_000));
    const attempt = { attempt: 1, at: new Date().toISOString(), durationMs: 3, statusCode: 503, error: 'the endpoint answered 503' };
    await platform.runtime.webhookDeliveries.record(delivery.id, 'h', { attempt, status: 'pending', error: attempt.error }, new Date().toISOString());
    return delivery;
  }

  it('marks a pending delivery failed with the attempts Pub/Sub made and the last error', async () => {
    const delivery = await failedOnce();
    expect(await run(delivery, { CloudPubSubDeadLetterSourceDeliveryCount: '6' })).to.match(/gave up after 6 delivery attempts/);
    expect(await platform.runtime.webhookDeliveries.get(delivery.id)).to.deep.include({ status: 'failed', lastError: 'gave up after 6 delivery attempts: the endpoint answered 503' });
  });

  it('leaves a delivery that succeeded meanwhile as it is', async () => {
    const delivery = await failedOnce();
    await platform.runtime.webhookDeliveries.claim(delivery.id, 'h2', new Date(), new Date(Date.now() + 60_000));
    await platform.runtime.webhookDeliveries.record(delivery.id, 'h2', { attempt: null, status: 'succeeded', error: null }, new Date().toISOString());
    expect(await run(delivery)).to.match(/settled; left as it is$/);
    expect((await platform.runtime.webhookDeliveries.get(delivery.id))?.status).to.equal('succeeded');
  });

  it('waits (nacks) while an attempt still holds the delivery', async () => {
    const delivery = await failedOnce();
    await platform.runtime.webhookDeliveries.claim(delivery.id, 'late attempt', new Date(), new Date(Date.now() + 60_000));
    expect(await rejectionOf(run(delivery))).to.be.instanceOf(DeliveryBusyError);
  });

  it('drops a dead letter that names no delivery, rather than retrying it for ever', async () => {
    expect(await run(null)).to.equal('undecodable dead letter dropped');
  });
});
