import type { Webhook, WebhookSecret } from '../schemas/webhook';

/** Webhook subscriptions, and apart from them the secrets their deliveries are signed with. */
export interface WebhookStore {
  /** Stores the webhook and its secret at once, unless the tenant has `maxPerTenant` webhooks already (resolves false). */
  create(webhook: Webhook, secret: WebhookSecret, maxPerTenant: number): Promise<boolean>;
  get(id: string): Promise<Webhook | null>;
  /** The tenant's webhooks, newest first. */
  list(tenant: string): Promise<Webhook[]>;
  /** The key a webhook's deliveries are signed with; null once the webhook is deleted. */
  secretOf(id: string): Promise<string | null>;
  /** Removes the tenant's webhook and its secret at once; resolves with what was removed, null when there was none. */
  delete(tenant: string, id: string): Promise<Webhook | null>;
  /** Stops deliveries to a webhook whose endpoint is gone (once). */
  deactivate(id: string, reason: string, at: string): Promise<void>;
}
