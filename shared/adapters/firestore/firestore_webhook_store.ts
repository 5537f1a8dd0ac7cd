import type { Firestore } from '@google-cloud/firestore';
import type { WebhookStore } from '../../ports/webhook_store';
import { WebhookSchema, WebhookSecretSchema, type Webhook, type WebhookSecret } from '../../schemas/webhook';

/** Webhooks in `webhooks`; their secrets in `webhook_secrets`, which only service credentials can read (firestore.rules). */
export class FirestoreWebhookStore implements WebhookStore {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'webhooks',
    private readonly secrets = 'webhook_secrets',
  ) {}

  create(webhook: Webhook, secret: WebhookSecret, maxPerTenant: number): Promise<boolean> {
    const tenantWebhooks = this.db.collection(this.collection).where('tenant', '==', webhook.tenant);
    return this.db.runTransaction(async (tx) => {
      // Counted in the transaction that writes, so two creations at once cannot both take the last place.
      if ((await tx.get(tenantWebhooks)).size >= maxPerTenant) return false;
      tx.create(this.db.collection(this.collection).doc(webhook.id), WebhookSchema.parse(webhook));
      tx.create(this.db.collection(this.secrets).doc(webhook.id), WebhookSecretSchema.parse(secret));
      return true;
    });
  }

  async get(id: string): Promise<Webhook | null> {
    const snapshot = await this.db.collection(this.collection).doc(id).get();
    return snapshot.exists ? WebhookSchema.parse(snapshot.data()) : null;
  }

  async list(tenant: string): Promise<Webhook[]> {
    const snapshot = await this.db.collection(this.collection).where('tenant', '==', tenant).orderBy('createdAt', 'desc').get();
    return snapshot.docs.map((doc) => WebhookSchema.parse(doc.data()));
  }

  async secretOf(id: string): Promise<string | null> {
    const snapshot = await this.db.collection(this.secrets).doc(id).get();
    return snapshot.exists ? WebhookSecretSchema.parse(snapshot.data()).secret : null;
  }

  delete(tenant: string, id: string): Promise<Webhook | null> {
    const ref = this.db.collection(this.collection).doc(id);
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      if (!snapshot.exists) return null;
      const webhook = WebhookSchema.parse(snapshot.data());
      if (webhook.tenant !== tenant) return null;
      tx.delete(ref);
      tx.delete(this.db.collection(this.secrets).doc(id));
      return webhook;
    });
  }

  async deactivate(id: string, reason: string, at: string): Promise<void> {
    const ref = this.db.collection(this.collection).doc(id);
    await this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      if (!snapshot.exists || !WebhookSchema.parse(snapshot.data()).active) return;
      tx.update(ref, { active: false, deactivatedAt: at, deactivationReason: reason });
    });
  }
}
