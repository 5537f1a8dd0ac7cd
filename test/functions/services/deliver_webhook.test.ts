import { expect } from 'chai';
import { DeliveryBusyError, deliverWebhook } from '../../../functions/services/deliver_webhook';
import { UndecodableMessageError } from '../../../functions/pipeline/decode_message';
import { newDelivery, pingEvent } from '../../../shared/domain/webhooks/events';
import type { WebhookTransport } from '../../../shared/ports/webhook_transport';
import type { WebhookDelivery } from '../../../shared/schemas/webhook';
import { rejectionOf } from '../../support/rejection';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';
import { deleteAllWebhooks, storedWebhook } from '../../support/webhook_fixtures';

const TENANT = 'deliver-test';

describe('webhook delivery function', () => {
  let platform: TestPlatform;
  const message = (delivery: Pick<WebhookDelivery, 'id' | 'eventId' | 'webhookId'>) => ({ deliveryId: delivery.id, eventId: delivery.eventId, webhookId: delivery.webhookId });
  const run = (data: unknown, runtime = platform.runtime) => deliverWebhook({ runtime, message: { data, attributes: {}, messageId: 'm', publishTime: new Date() }, firing: null });

  before(async () => {
    platform = await testPlatform();
  });
  after(() => deleteAllWebhooks(platform, [TENANT]));

  async function pending(): Promise<WebhookDelivery> {
    const { webhook } = await storedWebhook(platform, TENANT, 'http://127.0.0.1:9/deliver');
    return platform.runtime.webhookDeliveries.open(newDelivery(pingEvent(webhook, new Date()), webhook, new Date()));
  }

  it('acknowledges a delivery that no longer exists (its job was erased) without sending anything', async () => {
    const summary = await run({ deliveryId: `dlv_${'0'.repeat(32)}`, eventId: 'e', webhookId: `whk_${'0'.repeat(24)}` });
    expect(summary).to.match(/no longer exists/);
  });

  it('nacks a copy that arrives while another copy holds the delivery', async () => {
    const delivery = await pending();
    await platform.runtime.webhookDeliveries.claim(delivery.id, 'other copy', new Date(), new Date(Date.now() + 60_000));
    expect(await rejectionOf(run(message(delivery)))).to.be.instanceOf(DeliveryBusyError);
  });

  it('frees the delivery and keeps the error when the attempt itself breaks, so the retry can start at once', async () => {
    const delivery = await pending();
    const broken: WebhookTransport = {
      vet: async () => null,
      post: async () => {
        throw new Error('socket exploded');
      },
    };
    expect((await rejectionOf(run(message(delivery), { ...platform.runtime, webhookTransport: broken }))).message).to.equal('socket exploded');
    expect(await platform.runtime.webhookDeliveries.get(delivery.id)).to.deep.include({ status: 'pending', lease: null, lastError: 'the attempt could not be made: socket exploded' });
  });

  it('refuses a message that is not a delivery', async () => {
    expect(await rejectionOf(run({ deliveryId: 'dlv_x' }))).to.be.instanceOf(UndecodableMessageError);
  });
});
