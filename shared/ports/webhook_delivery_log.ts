import type { DeliveryAttempt, DeliveryStatus, WebhookDelivery } from '../schemas/webhook';
import type { Page } from './pagination';

/** What a delivery of a delivery message may do: attempt it, leave it (done already, or gone), or wait (another copy is sending it). */
export type DeliveryClaim = { kind: 'claimed'; delivery: WebhookDelivery } | { kind: 'settled'; delivery: WebhookDelivery } | { kind: 'busy' } | { kind: 'missing' };

export interface DeliveryQuery {
  tenant: string;
  webhookId: string;
  limit: number;
  /** The id of the last delivery of the previous page. */
  after?: string;
}

/** Every event's delivery to every webhook, with each attempt: the delivery log. */
export interface WebhookDeliveryLog {
  /** Records a delivery before it is queued; a delivery with that id is kept as it is. Resolves with the stored one. */
  open(delivery: WebhookDelivery): Promise<WebhookDelivery>;
  get(id: string): Promise<WebhookDelivery | null>;
  /** Takes the delivery's lease for one attempt until `leaseUntil`, unless it is settled, missing, or leased to a live holder. */
  claim(id: string, holder: string, now: Date, leaseUntil: Date): Promise<DeliveryClaim>;
  /**
   * Settles what the lease holder did: appends its attempt (if it sent one), sets the status and last error, and
   * frees the lease. Does nothing for a holder whose lease was lost.
   */
  record(id: string, holder: string, outcome: { attempt: DeliveryAttempt | null; status: DeliveryStatus; error: string | null }, at: string): Promise<void>;
  /** Gives a pending delivery up with the reason; 'busy' while an attempt holds a live lease. */
  fail(id: string, reason: string, now: Date): Promise<'failed' | 'settled' | 'busy' | 'missing'>;
  /** A webhook's deliveries, newest first. */
  list(query: DeliveryQuery): Promise<Page<WebhookDelivery>>;
  /** Removes every delivery about the tenant's job (they carry its data); resolves with how many there were. */
  eraseJob(tenant: string, jobId: string): Promise<number>;
}
