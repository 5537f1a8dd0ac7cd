import { expect } from 'chai';
import { UndecodableMessageError } from '../../../functions/pipeline/decode_message';
import { fanOutWebhookEvent } from '../../../functions/services/fan_out_webhook_event';
import { deliveryIdOf, jobEvents } from '../../../shared/domain/webhooks/events';
import type { WebhookDeliveryMessage } from '../../../shared/schemas/webhook';
import { SERVICE_TABLE } from '../../../shared/stages';
import { jobInState } from '../../support/job_fixtures';
import { rejectionOf } from '../../support/rejection';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';
import { deleteAllWebhooks, storedWebhook } from '../../support/webhook_fixtures';

const TENANT = 'fan-out-test';
const DELIVERIES = SERVICE_TABLE['webhook-deliveries'].topic;

describe('webhook fan-out', () => {
  let platform: TestPlatform;
  const run = (data: unknown) => fanOutWebhookEvent({ runtime: platform.runtime, message: { data, attributes: {}, messageId: 'm', publishTime: new Date() }, firing: null });
  const queued = (webhookId: string) => platform.bus.published.filter(({ topic, data }) => topic === DELIVERIES && (data as WebhookDeliveryMessage).webhookId === webhookId);

  /** The webhooks of these tests: what is queued for them is counted, never sent. */
  const ours = new Set<string>();

  before(async () => {
    platform = await testPlatform();
    platform.bus.drop = (topic, data) => topic === DELIVERIES && ours.has((data as WebhookDeliveryMessage).webhookId);
  });
  afterEach(() => deleteAllWebhooks(platform, [TENANT]));
  after(() => {
    platform.bus.drop = null;
  });

  async function webhooks() {
    const subscribed = await storedWebhook(platform, TENANT, 'http://127.0.0.1:9/a', ['job.state_changed']);
    const other = await storedWebhook(platform, TENANT, 'http://127.0.0.1:9/b', ['job.completed']);
    const inactive = await storedWebhook(platform, TENANT, 'http://127.0.0.1:9/c', ['job.state_changed']);
    await platform.runtime.webhooks.deactivate(inactive.webhook.id, 'gone', new Date().toISOString());
    for (const { webhook } of [subscribed, other, inactive]) ours.add(webhook.id);
    return { subscribed, other, inactive };
  }

  it('records and queues one delivery per active webhook subscribed to the event, and none for the others', async () => {
    const { subscribed, other, inactive } = await webhooks();
    const [event] = jobEvents(await jobInState(platform, TENANT, 'INPUT_SANITIZED'));
    expect(await run(event)).to.match(/: 1 deliveries queued for 1 webhooks$/);
    const delivery = await platform.runtime.webhookDeliveries.get(deliveryIdOf(event.id, subscribed.webhook.id));
    expect(delivery).to.deep.include({ status: 'pending', eventId: event.id, webhookId: subscribed.webhook.id, event });
    expect(queued(subscribed.webhook.id).map(({ data }) => data)).to.deep.equal([{ deliveryId: delivery?.id, eventId: event.id, webhookId: subscribed.webhook.id }]);
    expect(queued(other.webhook.id)).to.deep.equal([]);
    expect(queued(inactive.webhook.id)).to.deep.equal([]);
  });

  it('queues a repeated event again only while its delivery is not settled', async () => {
    const { subscribed } = await webhooks();
    const [event] = jobEvents(await jobInState(platform, TENANT, 'INPUT_SANITIZED'));
    await run(event);
    await run(event);
    expect(queued(subscribed.webhook.id), 'the first queueing may have been lost').to.have.length(2);
    const id = deliveryIdOf(event.id, subscribed.webhook.id);
    await platform.runtime.webhookDeliveries.claim(id, 'test', new Date(), new Date(Date.now() + 60_000));
    await platform.runtime.webhookDeliveries.record(id, 'test', { attempt: null, status: 'succeeded', error: null }, new Date().toISOString());
    expect(await run(event)).to.match(/: 0 deliveries queued for 1 webhooks$/);
    expect(queued(subscribed.webhook.id)).to.have.length(2);
  });

  it('records nothing for the event of a job that has been erased', async () => {
    const { subscribed } = await webhooks();
    const job = await jobInState(platform, TENANT, 'INPUT_SANITIZED');
    await platform.runtime.jobs.delete(job.id);
    const [event] = jobEvents(job);
    expect(await run(event)).to.match(/the job is gone; nothing queued$/);
    expect(await platform.runtime.webhookDeliveries.get(deliveryIdOf(event.id, subscribed.webhook.id))).to.equal(null);
  });

  it('refuses a message that is not an event, so it is retried and then dead-lettered', async () => {
    expect(await rejectionOf(run({ type: 'job.created' }))).to.be.instanceOf(UndecodableMessageError);
  });
});
