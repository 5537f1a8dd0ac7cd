import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreWebhookStore } from '../../../../shared/adapters/firestore/firestore_webhook_store';
import { testPlatform } from '../../../support/root_hooks';
import { webhookOf } from '../../../support/webhook_fixtures';

describe('FirestoreWebhookStore on the Firestore emulator', () => {
  let db: Firestore;
  let store: FirestoreWebhookStore;
  let tenants = 0;
  /** A tenant of its own per test, so counts start at zero. */
  const freshTenant = () => `store-test-${process.pid}-${++tenants}`;
  const secretOf = (fixture: ReturnType<typeof webhookOf>) => ({ webhookId: fixture.webhook.id, tenant: fixture.webhook.tenant, secret: fixture.secret });

  before(async () => {
    const platform = await testPlatform();
    db = new Firestore({ projectId: platform.projectId });
    store = new FirestoreWebhookStore(db, 'store_test_webhooks', 'store_test_webhook_secrets');
  });
  after(() => db.terminate());

  it('keeps the webhook and, apart from it, its secret', async () => {
    const fixture = webhookOf(freshTenant(), 'https://hooks.example.com/a');
    expect(await store.create(fixture.webhook, secretOf(fixture), 5)).to.equal(true);
    expect(await store.get(fixture.webhook.id)).to.deep.equal(fixture.webhook);
    expect(await store.secretOf(fixture.webhook.id)).to.equal(fixture.secret);
    expect((await db.collection('store_test_webhooks').doc(fixture.webhook.id).get()).data()).not.to.have.property('secret');
  });

  it("lists a tenant's webhooks newest first, and no other tenant's", async () => {
    const tenant = freshTenant();
    const older = webhookOf(tenant, 'https://hooks.example.com/old', ['job.created'], new Date('2030-01-01T00:00:00Z'));
    const newer = webhookOf(tenant, 'https://hooks.example.com/new', ['job.created'], new Date('2030-01-02T00:00:00Z'));
    const stranger = webhookOf(freshTenant(), 'https://hooks.example.com/x');
    for (const fixture of [older, newer, stranger]) await store.create(fixture.webhook, secretOf(fixture), 5);
    expect((await store.list(tenant)).map((webhook) => webhook.id)).to.deep.equal([newer.webhook.id, older.webhook.id]);
  });

  it('never lets a tenant exceed its limit, even when creations race', async () => {
    const tenant = freshTenant();
    const fixtures = Array.from({ length: 6 }, (_, i) => webhookOf(tenant, `https://hooks.example.com/${i}`));
    const created = await Promise.all(fixtures.map((fixture) => store.create(fixture.webhook, secretOf(fixture), 3)));
    expect(created.filter(Boolean)).to.have.length(3);
    expect(await store.list(tenant)).to.have.length(3);
    const refused = fixtures.filter((_, i) => !created[i]);
    for (const fixture of refused) expect(await store.secretOf(fixture.webhook.id), 'no secret without its webhook').to.equal(null);
  });

  it("deletes the tenant's own webhook with its secret, and reports another tenant's as absent", async () => {
    const fixture = webhookOf(freshTenant(), 'https://hooks.example.com/d');
    await store.create(fixture.webhook, secretOf(fixture), 5);
    expect(await store.delete(freshTenant(), fixture.webhook.id)).to.equal(null);
    expect(await store.get(fixture.webhook.id)).not.to.equal(null);
    expect(await store.delete(fixture.webhook.tenant, fixture.webhook.id)).to.deep.equal(fixture.webhook);
    expect(await store.get(fixture.webhook.id)).to.equal(null);
    expect(await store.secretOf(fixture.webhook.id)).to.equal(null);
    expect(await store.delete(fixture.webhook.tenant, fixture.webhook.id)).to.equal(null);
  });

  it('deactivates once, keeping the first reason', async () => {
    const fixture = webhookOf(freshTenant(), 'https://hooks.example.com/g');
    await store.create(fixture.webhook, secretOf(fixture), 5);
    await store.deactivate(fixture.webhook.id, 'gone', '2030-01-01T00:00:00.000Z');
    await store.deactivate(fixture.webhook.id, 'gone again', '2030-01-02T00:00:00.000Z');
    expect(await store.get(fixture.webhook.id)).to.deep.include({ active: false, deactivationReason: 'gone', deactivatedAt: '2030-01-01T00:00:00.000Z' });
    await store.deactivate('whk_000000000000000000000000', 'nobody', '2030-01-01T00:00:00.000Z');
  });
});
