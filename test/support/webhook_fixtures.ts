import { randomBytes } from 'node:crypto';
import { newWebhookSecret } from '../../shared/domain/webhooks/signature';
import type { Webhook, WebhookEventType } from '../../shared/schemas/webhook';
import type { TestPlatform } from './root_hooks';

export interface WebhookFixture {
  webhook: Webhook;
  secret: string;
}

/** A webhook made as the API makes one, without its limit per tenant. */
export function webhookOf(tenant: string, url: string, events: WebhookEventType[] = ['job.completed'], createdAt = new Date()): WebhookFixture {
  const webhook: Webhook = {
    id: `whk_${randomBytes(12).toString('hex')}`,
    tenant,
    url,
    events,
    description: 'test fixture',
    active: true,
    deactivatedAt: null,
    deactivationReason: null,
    createdAt: createdAt.toISOString(),
    createdBy: null,
  };
  return { webhook, secret: newWebhookSecret() };
}

/** Stores a webhook straight into the platform's store. */
export async function storedWebhook(platform: TestPlatform, tenant: string, url: string, events?: WebhookEventType[]): Promise<WebhookFixture> {
  const fixture = webhookOf(tenant, url, events);
  await platform.runtime.webhooks.create(fixture.webhook, { webhookId: fixture.webhook.id, tenant, secret: fixture.secret }, Number.POSITIVE_INFINITY);
  return fixture;
}

/** Deletes every webhook of the tenants, so no later test's events are fanned out to them. */
export async function deleteAllWebhooks(platform: TestPlatform, tenants: readonly string[]): Promise<void> {
  for (const tenant of tenants) {
    for (const webhook of await platform.runtime.webhooks.list(tenant)) await platform.runtime.webhooks.delete(tenant, webhook.id);
  }
}
