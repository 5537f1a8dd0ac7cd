import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { MAX_WEBHOOKS_PER_TENANT } from '../../../functions/api/routes/webhooks';
import { publishState } from '../../../functions/pipeline/publish_state';
import { WEBHOOK_HEADERS } from '../../../shared/domain/webhooks/signature';
import type { WebhookDelivery, WebhookEventType } from '../../../shared/schemas/webhook';
import { ApiClient } from '../../support/api_client';
import { shortBrief } from '../../support/fixtures';
import { jobInState } from '../../support/job_fixtures';
import { waitForJob } from '../../support/jobs';
import { adminClient, makeApiKey } from '../../support/principals';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';
import { deleteAllWebhooks } from '../../support/webhook_fixtures';
import { WebhookReceiver, type ReceivedRequest } from '../../support/webhook_receiver';

/** Waits until `read` gives a value `done` accepts, and returns it. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A brief that stops at approval, so a job made from it renders nothing. */
const waitingBrief = () => shortBrief({ preset: 'brand_campaign' });
const headerOf = (request: ReceivedRequest, name: string) => request.headers[name.toLowerCase()] as string;

describe('webhooks API and delivery', () => {
  let platform: TestPlatform;
  let db: Firestore;
  let admin: ApiClient;
  const receivers: WebhookReceiver[] = [];

  before(async () => {
    platform = await testPlatform();
    db = new Firestore({ projectId: platform.projectId });
    admin = adminClient(platform);
  });
  afterEach(async () => {
    // Webhooks left behind would receive the events of every later test's jobs.
    await deleteAllWebhooks(platform, [platform.tenant]);
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });
  after(() => db.terminate());

  /** A receiver, and a webhook for it made through the API; the receiver knows the webhook's secret. */
  async function subscribe(events: WebhookEventType[] = ['job.completed'], client = admin): Promise<{ receiver: WebhookReceiver; webhook: any }> {
    const receiver = await WebhookReceiver.start();
    receivers.push(receiver);
    const created = await client.post('/v1/webhooks', { url: receiver.url(), events, description: 'webhooks API test' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    receiver.secret = created.body.secret;
    return { receiver, webhook: created.body };
  }

  const delivery = (id: string) => platform.runtime.webhookDeliveries.get(id);
  const settled = (d: WebhookDelivery | null) => d !== null && d.status !== 'pending';

  describe('managing webhooks', () => {
    it('creates a webhook with 201 and its secret once; lists it without the secret; audits it', async () => {
      const { webhook } = await subscribe(['job.created', 'job.failed']);
      expect(webhook).to.deep.include({ events: ['job.created', 'job.failed'], description: 'webhooks API test', active: true, tenant: platform.tenant });
      expect(webhook.id).to.match(/^whk_[0-9a-f]{24}$/);
      expect(webhook.secret).to.match(/^whsec_/);
      const listed = await admin.get('/v1/webhooks');
      expect(listed.status).to.equal(200);
      expect(listed.body.items.map((item: { id: string }) => item.id)).to.include(webhook.id);
      expect(JSON.stringify(listed.body)).not.to.contain(webhook.secret);
      const stored = (await db.collection('webhooks').doc(webhook.id).get()).data();
      expect(JSON.stringify(stored)).not.to.contain(webhook.secret);
      expect((await db.collection('webhook_secrets').doc(webhook.id).get()).get('secret')).to.equal(webhook.secret);
      const audit = await admin.get(`/v1/audit?action=webhook.created&target=${webhook.id}`);
      expect(audit.body.items).to.have.length(1);
      expect(audit.body.items[0].details).to.deep.equal({ host: new URL(webhook.url).host, events: 'job.created,job.failed' });
    });

    it('deletes a webhook with 204, removing its secret; a second delete is 404; both audited once', async () => {
      const { webhook } = await subscribe();
      expect((await admin.delete(`/v1/webhooks/${webhook.id}`)).status).to.equal(204);
      expect((await db.collection('webhook_secrets').doc(webhook.id).get()).exists).to.equal(false);
      expect((await admin.delete(`/v1/webhooks/${webhook.id}`)).status).to.equal(404);
      expect((await admin.get(`/v1/webhooks/${webhook.id}/deliveries`)).status).to.equal(404);
      const audit = await admin.get(`/v1/audit?action=webhook.deleted&target=${webhook.id}`);
      expect(audit.body.items).to.have.length(1);
    });

    it('refuses an SSRF URL with 400 naming the url field, and creates nothing', async () => {
      const before = (await db.collection('webhooks').count().get()).data().count;
      const answer = await admin.post('/v1/webhooks', { url: 'http://169.254.169.254/latest/meta-data', events: ['job.completed'] });
      expect(answer.status).to.equal(400);
      expect(answer.body.error.code).to.equal('invalid_webhook');
      expect(answer.body.error.fields).to.deep.equal([{ field: 'url', message: '169.254.169.254 is the metadata server' }]);
      expect((await db.collection('webhooks').count().get()).data().count).to.equal(before);
    });

    it(`allows a tenant ${MAX_WEBHOOKS_PER_TENANT} webhooks, then answers 409`, async () => {
      const tenant = `webhook-limit-${process.pid}`;
      const client = new ApiClient(platform.apiUrl, { apiKey: await makeApiKey(platform, tenant, 'service') });
      try {
        for (let i = 0; i < MAX_WEBHOOKS_PER_TENANT; i++) expect((await client.post('/v1/webhooks', { url: `http://127.0.0.1:9/${i}`, events: ['batch.completed'] })).status).to.equal(201);
        const refused = await client.post('/v1/webhooks', { url: 'http://127.0.0.1:9/one-more', events: ['batch.completed'] });
        expect(refused.status).to.equal(409);
        expect(refused.body.error.code).to.equal('too_many_webhooks');
      } finally {
        await deleteAllWebhooks(platform, [tenant]);
      }
    });
  });

  describe('signed deliveries', () => {
    it('delivers a ping the receiver verifies; it refuses a replay as a duplicate, a tampered body, and a stale replay', async () => {
      const { receiver, webhook } = await subscribe();
      const queued = await admin.post(`/v1/webhooks/${webhook.id}/test`);
      expect(queued.status).to.equal(202);
      expect(queued.body.deliveryId).to.match(/^dlv_[0-9a-f]{32}$/);
      const got = await receiver.waitFor((request) => request.verdict === 'handled');
      expect(got.event).to.deep.include({ id: queued.body.eventId, type: 'webhook.ping', tenant: platform.tenant, data: { webhookId: webhook.id } });
      expect(headerOf(got, WEBHOOK_HEADERS.webhookId)).to.equal(webhook.id);
      expect(headerOf(got, WEBHOOK_HEADERS.deliveryId)).to.equal(queued.body.deliveryId);
      expect(headerOf(got, WEBHOOK_HEADERS.event)).to.equal('webhook.ping');
      expect(Number(headerOf(got, WEBHOOK_HEADERS.timestamp))).to.be.closeTo(Date.now() / 1000, 30);
      expect(headerOf(got, WEBHOOK_HEADERS.signature)).to.match(/^v1=[0-9a-f]{64}$/);

      expect(await receiver.replay(got), 'the same request again').to.equal(200);
      expect(receiver.received.at(-1)?.verdict).to.equal('duplicate');
      expect(await receiver.replay(got, got.body.replace('webhook.ping', 'job.completed')), 'a tampered body').to.equal(401);
      expect(receiver.received.at(-1)).to.deep.include({ verdict: 'refused', reason: 'signature does not match' });
      receiver.nowSec = () => Number(headerOf(got, WEBHOOK_HEADERS.timestamp)) + 301;
      expect(await receiver.replay(got), 'the same request six minutes on').to.equal(401);
      expect(receiver.received.at(-1)).to.deep.include({ verdict: 'refused', reason: 'timestamp is more than 300 s from now' });
      expect(receiver.handled()).to.have.length(1);

      const log = await admin.get(`/v1/webhooks/${webhook.id}/deliveries`);
      expect(log.status).to.equal(200);
      const [entry] = log.body.items;
      expect(entry).to.deep.include({ id: queued.body.deliveryId, status: 'succeeded', eventType: 'webhook.ping', lastError: null });
      expect(entry.attempts).to.have.length(1);
      expect(entry.attempts[0]).to.deep.include({ attempt: 1, statusCode: 200, error: null });
      expect(entry).not.to.have.property('lease');
    });

    it('retries a failing endpoint with backoff and logs every attempt until it succeeds', async () => {
      const { receiver, webhook } = await subscribe();
      receiver.answerNext({ status: 503 }, { status: 500 });
      const queued = await admin.post(`/v1/webhooks/${webhook.id}/test`);
      const done = await until(() => delivery(queued.body.deliveryId), settled);
      expect(done?.status).to.equal('succeeded');
      expect(done?.attempts.map((a) => [a.attempt, a.statusCode, a.error])).to.deep.equal([
        [1, 503, 'the endpoint answered 503'],
        [2, 500, 'the endpoint answered 500'],
        [3, 200, null],
      ]);
      expect(receiver.handled()).to.have.length(1);
    });

    it('gives a delivery up after 6 attempts and the dead-letter handler marks it failed with the last error', async () => {
      const { receiver, webhook } = await subscribe();
      receiver.answerNext(...Array.from({ length: 10 }, () => ({ status: 500 })));
      const queued = await admin.post(`/v1/webhooks/${webhook.id}/test`);
      const failed = await until(() => delivery(queued.body.deliveryId), settled, 60_000);
      expect(failed?.status).to.equal('failed');
      expect(failed?.attempts.map((a) => a.attempt)).to.deep.equal([1, 2, 3, 4, 5, 6]);
      expect(failed?.lastError).to.equal('gave up after 6 delivery attempts: the endpoint answered 500');
      expect(receiver.received).to.have.length(6);
    });

    it('fails an attempt redirected to the metadata server, with that reason, without following it', async () => {
      const { receiver, webhook } = await subscribe();
      receiver.answerNext({ status: 302, location: 'http://169.254.169.254/computeMetadata/v1/' });
      const queued = await admin.post(`/v1/webhooks/${webhook.id}/test`);
      const attempted = await until(() => delivery(queued.body.deliveryId), (d) => (d?.attempts.length ?? 0) >= 1);
      expect(attempted?.attempts[0]).to.deep.include({ statusCode: null, error: 'redirected to http://169.254.169.254/computeMetadata/v1/: 169.254.169.254 is the metadata server' });
      // The retry is signed afresh and reaches the receiver, which now checks it.
      await receiver.waitFor((request) => request.verdict === 'handled');
    });

    it('deactivates a webhook whose endpoint answers 410 Gone, and sends it nothing more', async () => {
      const { receiver, webhook } = await subscribe();
      receiver.answerNext({ status: 410 });
      const queued = await admin.post(`/v1/webhooks/${webhook.id}/test`);
      const gone = await until(() => delivery(queued.body.deliveryId), settled);
      expect(gone).to.deep.include({ status: 'failed', lastError: 'the endpoint answered 410 Gone; the webhook is deactivated' });
      const listed = (await admin.get('/v1/webhooks')).body.items.find((item: { id: string }) => item.id === webhook.id);
      expect(listed).to.deep.include({ active: false, deactivationReason: 'the endpoint answered 410 Gone; the webhook is deactivated' });
      const again = await admin.post(`/v1/webhooks/${webhook.id}/test`);
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal('webhook_inactive');
      expect(receiver.received).to.have.length(1);
    });

    it('cancels a delivery still being retried when its webhook is deleted', async () => {
      const { receiver, webhook } = await subscribe();
      receiver.answerNext({ status: 500 });
      const queued = await admin.post(`/v1/webhooks/${webhook.id}/test`);
      await until(() => delivery(queued.body.deliveryId), (d) => (d?.attempts.length ?? 0) === 1);
      expect((await admin.delete(`/v1/webhooks/${webhook.id}`)).status).to.equal(204);
      const cancelled = await until(() => delivery(queued.body.deliveryId), settled);
      expect(cancelled).to.deep.include({ status: 'cancelled', lastError: 'the webhook was deleted before this was sent' });
      expect(receiver.received).to.have.length(1);
    });

    it('pages the delivery log newest first with a cursor', async () => {
      const { receiver, webhook } = await subscribe();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await admin.post(`/v1/webhooks/${webhook.id}/test`)).body.deliveryId);
      await until(async () => receiver.handled().length, (count) => count === 3);
      const first = await admin.get(`/v1/webhooks/${webhook.id}/deliveries?limit=2`);
      expect(first.body.items.map((item: { id: string }) => item.id)).to.deep.equal([ids[2], ids[1]]);
      const second = await admin.get(`/v1/webhooks/${webhook.id}/deliveries?limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.items.map((item: { id: string }) => item.id)).to.deep.equal([ids[0]]);
      expect(second.body.nextCursor).to.equal(null);
      expect((await admin.get(`/v1/webhooks/${webhook.id}/deliveries?cursor=dlv_${'0'.repeat(32)}`)).status).to.equal(400);
    });
  });

  describe('job and batch events', () => {
    it('sends job.created and a job.state_changed for every transition, once each, in the envelope', async () => {
      const { receiver } = await subscribe(['job.created', 'job.state_changed']);
      const created = await admin.post('/v1/jobs', waitingBrief());
      const id = created.body.id as string;
      const waiting = await waitForJob(platform, id, (job) => job.state === 'WAITING_APPROVAL');
      expect((await admin.post(`/v1/jobs/${id}/cancel`)).status).to.equal(200);
      const expected = ['SUBMITTED', 'INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'WAITING_APPROVAL', 'CANCELLED'];
      const events = await until(
        async () => receiver.handled().filter((request) => request.event?.data && 'jobId' in request.event.data && request.event.data.jobId === id),
        (handled) => handled.length === expected.length,
      );
      const byState = Object.fromEntries(events.map((request) => [(request.event!.data as { state: string }).state, request.event!]));
      expect(Object.keys(byState)).to.have.members(expected);
      expect(byState.SUBMITTED).to.deep.include({ type: 'job.created', tenant: platform.tenant });
      expect(byState.SUBMITTED.data).to.deep.equal({ jobId: id, batchId: null, state: 'SUBMITTED', previousState: null, reason: 'brief submitted' });
      const transition = waiting.stateHistory.find((entry) => entry.to === 'WAITING_APPROVAL')!;
      expect(byState.WAITING_APPROVAL).to.deep.include({ id: `${transition.eventId}:job.state_changed`, type: 'job.state_changed', createdAt: transition.at });
      expect(byState.CANCELLED.data).to.deep.include({ previousState: 'WAITING_APPROVAL' });
      expect(new Set(events.map((request) => headerOf(request, WEBHOOK_HEADERS.deliveryId))).size).to.equal(expected.length);
      expect(receiver.received.filter((request) => request.verdict !== 'handled')).to.deep.equal([]);
    });

    it('sends job.completed and job.failed to the webhooks subscribed to them, and an announced-again state once', async () => {
      const { receiver: completions } = await subscribe(['job.completed']);
      const { receiver: failures } = await subscribe(['job.failed']);
      const delivered = await jobInState(platform, platform.tenant, 'DELIVERED');
      const failed = await jobInState(platform, platform.tenant, 'ERROR');
      await publishState(platform.runtime.events, delivered);
      await publishState(platform.runtime.events, failed);
      // As the stuck-job sweeper or a redelivered message would: the same state announced again.
      await publishState(platform.runtime.events, delivered);
      const completion = await completions.waitFor((request) => request.verdict === 'handled');
      expect(completion.event).to.deep.include({ type: 'job.completed' });
      expect(completion.event?.data).to.deep.include({ jobId: delivered.id, state: 'DELIVERED', previousState: 'QA_SEMANTIC' });
      const failure = await failures.waitFor((request) => request.verdict === 'handled');
      expect(failure.event?.data).to.deep.include({ jobId: failed.id, state: 'ERROR', previousState: 'INPUT_SANITIZED' });
      await waitForJob(platform, delivered.id, (job) => job.completedAt !== null && job.outputs.receiptUri !== undefined);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(completions.received, 'one job.completed however often DELIVERED is announced').to.have.length(1);
      expect(failures.received).to.have.length(1);
    });

    it('sends batch.completed once the last job of a batch has closed', async () => {
      const { receiver } = await subscribe(['batch.completed']);
      const batch = await admin.post('/v1/jobs:batch', { briefs: [waitingBrief(), waitingBrief()] });
      expect(batch.status).to.equal(201);
      const ids = batch.body.jobs.map((job: { id: string }) => job.id) as string[];
      for (const id of ids) await waitForJob(platform, id, (job) => job.state === 'WAITING_APPROVAL');
      for (const id of ids) await admin.post(`/v1/jobs/${id}/cancel`);
      const got = await receiver.waitFor((request) => request.verdict === 'handled');
      expect(got.event).to.deep.include({ id: `batch.completed:${batch.body.batchId}`, type: 'batch.completed' });
      expect(got.event?.data).to.deep.include({ batchId: batch.body.batchId, jobIds: ids, finished: Object.fromEntries(ids.map((id) => [id, 'CANCELLED'])) });
    });

    it("erases a job's webhook deliveries with the job", async () => {
      const { receiver } = await subscribe(['job.state_changed']);
      const job = await jobInState(platform, platform.tenant, 'INPUT_SANITIZED');
      await admin.post(`/v1/jobs/${job.id}/cancel`);
      await receiver.waitFor((request) => request.verdict === 'handled');
      const deliveries = () => db.collection('webhook_deliveries').where('jobId', '==', job.id).get();
      expect((await deliveries()).size).to.equal(1);
      await waitForJob(platform, job.id, (current) => current.completedAt !== null);
      expect((await admin.delete(`/v1/jobs/${job.id}`)).status).to.equal(204);
      expect((await deliveries()).size).to.equal(0);
    });
  });
});
