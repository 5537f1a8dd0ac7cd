import { Timestamp, type Firestore } from '@google-cloud/firestore';
import type { Page } from '../../ports/pagination';
import type { DeliveryClaim, DeliveryQuery, WebhookDeliveryLog } from '../../ports/webhook_delivery_log';
import { WebhookDeliverySchema, type DeliveryAttempt, type DeliveryStatus, type WebhookDelivery } from '../../schemas/webhook';
import { pageOf } from './paginate';

const ALREADY_EXISTS = 6;
/** How long a delivery is kept; Firestore's TTL policy on `expireAt` (terraform/firestore.tf) deletes it after. */
const RETENTION_DAYS = 30;
/** Deletes per write batch when erasing (Firestore allows 500). */
const ERASE_BATCH = 400;

function parse(data: unknown): WebhookDelivery {
  const { expireAt: _expireAt, ...delivery } = data as Record<string, unknown>;
  return WebhookDeliverySchema.parse(delivery);
}

function leaseIsLive(delivery: WebhookDelivery, now: Date): boolean {
  return delivery.lease !== null && Date.parse(delivery.lease.expiresAt) > now.getTime();
}

/** The delivery log in `webhook_deliveries`, one document per delivery id, changed only in transactions. */
export class FirestoreWebhookDeliveryLog implements WebhookDeliveryLog {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'webhook_deliveries',
  ) {}

  private ref(id: string) {
    return this.db.collection(this.collection).doc(id);
  }

  async open(delivery: WebhookDelivery): Promise<WebhookDelivery> {
    const expireAt = Timestamp.fromMillis(Date.parse(delivery.createdAt) + RETENTION_DAYS * 86_400_000);
    try {
      await this.ref(delivery.id).create({ ...WebhookDeliverySchema.parse(delivery), expireAt });
      return delivery;
    } catch (error) {
      if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
      const stored = await this.get(delivery.id);
      if (stored === null) throw new Error(`delivery ${delivery.id} vanished while it was opened`);
      return stored;
    }
  }

  async get(id: string): Promise<WebhookDelivery | null> {
    const snapshot = await this.ref(id).get();
    return snapshot.exists ? parse(snapshot.data()) : null;
  }

  claim(id: string, holder: string, now: Date, leaseUntil: Date): Promise<DeliveryClaim> {
    return this.db.runTransaction(async (tx): Promise<DeliveryClaim> => {
      const snapshot = await tx.get(this.ref(id));
      if (!snapshot.exists) return { kind: 'missing' };
      const delivery = parse(snapshot.data());
      if (delivery.status !== 'pending') return { kind: 'settled', delivery };
      if (leaseIsLive(delivery, now)) return { kind: 'busy' };
      const claimed: WebhookDelivery = { ...delivery, lease: { holder, expiresAt: leaseUntil.toISOString() }, updatedAt: now.toISOString() };
      tx.update(this.ref(id), { lease: claimed.lease, updatedAt: claimed.updatedAt });
      return { kind: 'claimed', delivery: claimed };
    });
  }

  async record(id: string, holder: string, outcome: { attempt: DeliveryAttempt | null; status: DeliveryStatus; error: string | null }, at: string): Promise<void> {
    await this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(this.ref(id));
      if (!snapshot.exists) return;
      const delivery = parse(snapshot.data());
      if (delivery.lease?.holder !== holder) return;
      const attempts = outcome.attempt === null ? delivery.attempts : [...delivery.attempts, outcome.attempt];
      tx.update(this.ref(id), { attempts, status: outcome.status, lastError: outcome.error, lease: null, updatedAt: at });
    });
  }

  fail(id: string, reason: string, now: Date): Promise<'failed' | 'settled' | 'busy' | 'missing'> {
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(this.ref(id));
      if (!snapshot.exists) return 'missing';
      const delivery = parse(snapshot.data());
      if (delivery.status !== 'pending') return 'settled';
      if (leaseIsLive(delivery, now)) return 'busy';
      tx.update(this.ref(id), { status: 'failed', lastError: reason, lease: null, updatedAt: now.toISOString() });
      return 'failed';
    });
  }

  list(query: DeliveryQuery): Promise<Page<WebhookDelivery>> {
    const ordered = this.db
      .collection(this.collection)
      .where('tenant', '==', query.tenant)
      .where('webhookId', '==', query.webhookId)
      .orderBy('createdAt', 'desc');
    return pageOf(this.db.collection(this.collection), ordered, query, parse);
  }

  async eraseJob(tenant: string, jobId: string): Promise<number> {
    const selection = this.db.collection(this.collection).where('tenant', '==', tenant).where('jobId', '==', jobId).limit(ERASE_BATCH);
    let erased = 0;
    for (;;) {
      const snapshot = await selection.get();
      if (snapshot.empty) return erased;
      const batch = this.db.batch();
      for (const doc of snapshot.docs) batch.delete(doc.ref);
      await batch.commit();
      erased += snapshot.size;
    }
  }
}
