import { expect } from 'chai';
import { Firestore, Timestamp } from '@google-cloud/firestore';
import { FirestoreWebhookDeliveryLog } from '../../../../shared/adapters/firestore/firestore_webhook_delivery_log';
import { newDelivery, pingEvent } from '../../../../shared/domain/webhooks/events';
import { InvalidCursorError } from '../../../../shared/ports/pagination';
import type { WebhookDelivery, WebhookEvent } from '../../../../shared/schemas/webhook';
import { rejectionOf } from '../../../support/rejection';
import { testPlatform } from '../../../support/root_hooks';

const WEBHOOK = { id: 'whk_0123456789abcdef01234567', tenant: 'log-test' };
const T0 = new Date('2030-01-01T00:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function jobEvent(jobId: string, n: number): WebhookEvent {
  return { id: `evt_${jobId}_${n}:job.state_changed`, type: 'job.state_changed', createdAt: T0.toISOString(), tenant: WEBHOOK.tenant, data: { jobId, batchId: null, state: 'INPUT_SANITIZED', previousState: 'SUBMITTED', reason: 'r' } };
}

describe('FirestoreWebhookDeliveryLog on the Firestore emulator', () => {
  let db: Firestore;
  let log: FirestoreWebhookDeliveryLog;
  let runs = 0;
  /** A delivery of its own per test, so the tests share the collection without meeting. */
  const fresh = (at = T0): WebhookDelivery => newDelivery(pingEvent(WEBHOOK, at), WEBHOOK, at);
  const attempt = (n: number, statusCode: number | null, error: string | null) => ({ attempt: n, at: T0.toISOString(), durationMs: 5, statusCode, error });

  before(async () => {
    const platform = await testPlatform();
    db = new Firestore({ projectId: platform.projectId });
    log = new FirestoreWebhookDeliveryLog(db, `log_test_deliveries_${process.pid}`);
  });
  after(() => db.terminate());

  it('opens a delivery once: opening it again returns the stored one unchanged', async () => {
    const delivery = fresh();
    expect(await log.open(delivery)).to.deep.equal(delivery);
    await log.record(delivery.id, 'nobody', { attempt: null, status: 'succeeded', error: null }, T0.toISOString());
    const claim = await log.claim(delivery.id, 'h1', T0, later(60));
    expect(claim.kind).to.equal('claimed');
    await log.record(delivery.id, 'h1', { attempt: attempt(1, 200, null), status: 'succeeded', error: null }, later(1).toISOString());
    const again = await log.open({ ...delivery, createdAt: later(5).toISOString() });
    expect(again).to.deep.include({ status: 'succeeded', createdAt: T0.toISOString() });
    expect(again.attempts).to.have.length(1);
  });

  it('keeps an expiry time for the TTL policy 30 days after creation', async () => {
    const delivery = fresh();
    await log.open(delivery);
    const raw = (await db.collection(`log_test_deliveries_${process.pid}`).doc(delivery.id).get()).get('expireAt') as Timestamp;
    expect(raw.toMillis()).to.equal(T0.getTime() + 30 * 86_400_000);
  });

  it('leases a delivery to one attempt at a time, and lets a later one take over an expired lease', async () => {
    const delivery = await log.open(fresh());
    expect((await log.claim(delivery.id, 'first', T0, later(60))).kind).to.equal('claimed');
    expect((await log.claim(delivery.id, 'second', later(30), later(90))).kind).to.equal('busy');
    const takeover = await log.claim(delivery.id, 'third', later(61), later(121));
    expect(takeover.kind === 'claimed' && takeover.delivery.lease?.holder).to.equal('third');
    // The first holder's late report is dropped: its lease was taken over.
    await log.record(delivery.id, 'first', { attempt: attempt(1, 500, 'late'), status: 'pending', error: 'late' }, later(62).toISOString());
    await log.record(delivery.id, 'third', { attempt: attempt(1, 502, 'the endpoint answered 502'), status: 'pending', error: 'the endpoint answered 502' }, later(63).toISOString());
    const stored = await log.get(delivery.id);
    expect(stored).to.deep.include({ status: 'pending', lastError: 'the endpoint answered 502', lease: null });
    expect(stored?.attempts.map((a) => a.statusCode)).to.deep.equal([502]);
    expect((await log.claim('dlv_00000000000000000000000000000000', 'x', T0, later(1))).kind).to.equal('missing');
  });

  it('settles a delivery: no more claims once it succeeded or was cancelled', async () => {
    const delivery = await log.open(fresh());
    await log.claim(delivery.id, 'h', T0, later(60));
    await log.record(delivery.id, 'h', { attempt: null, status: 'cancelled', error: 'the webhook was deleted before this was sent' }, later(1).toISOString());
    const claim = await log.claim(delivery.id, 'h2', later(2), later(62));
    expect(claim.kind === 'settled' && claim.delivery.status).to.equal('cancelled');
  });

  it('fails a pending delivery with the reason, waits while an attempt holds it, and leaves a settled one', async () => {
    const delivery = await log.open(fresh());
    await log.claim(delivery.id, 'h', T0, later(60));
    expect(await log.fail(delivery.id, 'gave up', later(10))).to.equal('busy');
    expect(await log.fail(delivery.id, 'gave up', later(61))).to.equal('failed');
    expect(await log.get(delivery.id)).to.deep.include({ status: 'failed', lastError: 'gave up', lease: null });
    expect(await log.fail(delivery.id, 'again', later(62))).to.equal('settled');
    expect(await log.fail('dlv_00000000000000000000000000000000', 'x', T0)).to.equal('missing');
  });

  it("lists one webhook's deliveries newest first, a page at a time, and refuses another tenant's cursor", async () => {
    const webhook = { id: `whk_${String(++runs).padStart(24, 'a')}`, tenant: WEBHOOK.tenant };
    const opened = [];
    for (let i = 0; i < 5; i++) opened.push(await log.open(newDelivery(pingEvent(webhook, later(i)), webhook, later(i))));
    await log.open(newDelivery(pingEvent(WEBHOOK, later(10)), WEBHOOK, later(10)));
    const first = await log.list({ tenant: webhook.tenant, webhookId: webhook.id, limit: 3 });
    expect(first.items.map((d) => d.id)).to.deep.equal([opened[4].id, opened[3].id, opened[2].id]);
    const second = await log.list({ tenant: webhook.tenant, webhookId: webhook.id, limit: 3, after: first.next ?? undefined });
    expect(second.items.map((d) => d.id)).to.deep.equal([opened[1].id, opened[0].id]);
    expect(second.next).to.equal(null);
    expect(await rejectionOf(log.list({ tenant: 'someone-else', webhookId: webhook.id, limit: 3, after: opened[2].id }))).to.be.instanceOf(InvalidCursorError);
  });

  it("erases the deliveries about one job of one tenant, and nothing else", async () => {
    const jobId = `job_erase_${process.pid}`;
    const mine = [await log.open(newDelivery(jobEvent(jobId, 1), WEBHOOK, T0)), await log.open(newDelivery(jobEvent(jobId, 2), WEBHOOK, T0))];
    const otherJob = await log.open(newDelivery(jobEvent(`${jobId}_other`, 1), WEBHOOK, T0));
    const otherTenant = await log.open(newDelivery({ ...jobEvent(jobId, 3), tenant: 'someone-else' }, { ...WEBHOOK, tenant: 'someone-else' }, T0));
    expect(await log.eraseJob(WEBHOOK.tenant, jobId)).to.equal(2);
    for (const gone of mine) expect(await log.get(gone.id)).to.equal(null);
    expect(await log.get(otherJob.id)).not.to.equal(null);
    expect(await log.get(otherTenant.id)).not.to.equal(null);
    expect(await log.eraseJob(WEBHOOK.tenant, jobId)).to.equal(0);
  });
});
