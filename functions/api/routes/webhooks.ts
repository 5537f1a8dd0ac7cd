import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../../shared/domain/auth/principal';
import { newDelivery, pingEvent } from '../../../shared/domain/webhooks/events';
import { newWebhookSecret } from '../../../shared/domain/webhooks/signature';
import { MAX_WEBHOOK_URL_LENGTH } from '../../../shared/domain/webhooks/url_policy';
import { log } from '../../../shared/logging';
import {
  DeliveryIdSchema,
  WEBHOOK_EVENT_TYPES,
  WebhookDeliverySchema,
  WebhookEventTypeSchema,
  WebhookIdSchema,
  WebhookSchema,
  type Webhook,
  type WebhookDelivery,
} from '../../../shared/schemas/webhook';
import { queueDelivery } from '../../pipeline/publish_webhook_events';
import type { Runtime } from '../../runtime';
import { HttpError } from '../http_error';
import { callerOf, recordAudit } from '../job_access';
import { pageAt, pageLimit } from '../query_params';
import { defineRoute } from '../route';
import { pageSchema } from '../views';

/** Webhooks one tenant may have: every event is fanned out to each of them. */
export const MAX_WEBHOOKS_PER_TENANT = 20;

const WebhookViewSchema = WebhookSchema.meta({ id: 'Webhook' });
const DeliveryViewSchema = WebhookDeliverySchema.omit({ lease: true }).meta({ id: 'WebhookDelivery' });
const WebhookParamsSchema = z.strictObject({ webhookId: WebhookIdSchema });

const CreateWebhookSchema = z.strictObject({
  url: z.string().min(1).max(MAX_WEBHOOK_URL_LENGTH).meta({ description: 'https (http also in local mode); no private, loopback, link-local or metadata address' }),
  events: z
    .array(WebhookEventTypeSchema)
    .min(1)
    .max(WEBHOOK_EVENT_TYPES.length)
    .refine((events) => new Set(events).size === events.length, 'each event type once'),
  description: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters')
    .optional(),
});

/** The caller's own webhook; another tenant's is as absent as one that never existed. */
async function ownWebhook(runtime: Runtime, principal: Principal, id: string): Promise<Webhook> {
  const webhook = await runtime.webhooks.get(id);
  if (webhook === null || webhook.tenant !== principal.tenant) throw new HttpError(404, 'not_found', `no webhook ${id}`);
  return webhook;
}

function deliveryView({ lease: _lease, ...view }: WebhookDelivery) {
  return view;
}

export const createWebhook = defineRoute({
  operationId: 'createWebhook',
  method: 'POST',
  path: '/v1/webhooks',
  summary: 'Subscribe an endpoint to job and batch events; the signing secret is in this answer only.',
  tag: 'webhooks',
  permission: 'service:webhook',
  body: CreateWebhookSchema,
  bodyErrorCode: 'invalid_webhook',
  responses: {
    201: { description: 'The webhook: keep `secret`, it is never shown again.', schema: WebhookViewSchema.extend({ secret: z.string() }).meta({ id: 'NewWebhook' }) },
  },
  async handle(request) {
    const { runtime, body } = request;
    const principal = callerOf(request);
    const refused = await runtime.webhookTransport.vet(body.url);
    if (refused !== null) throw new HttpError(400, 'invalid_webhook', 'the webhook URL is not allowed', [{ field: 'url', message: refused }]);
    const webhook: Webhook = {
      id: `whk_${randomBytes(12).toString('hex')}`,
      tenant: principal.tenant,
      // As written: the URL policy judges the spelling too (loopback only when written plainly, locally).
      url: body.url,
      events: body.events,
      description: body.description ?? null,
      active: true,
      deactivatedAt: null,
      deactivationReason: null,
      createdAt: runtime.clock().toISOString(),
      createdBy: principal,
    };
    const secret = newWebhookSecret();
    if (!(await runtime.webhooks.create(webhook, { webhookId: webhook.id, tenant: webhook.tenant, secret }, MAX_WEBHOOKS_PER_TENANT))) {
      throw new HttpError(409, 'too_many_webhooks', `a tenant may have ${MAX_WEBHOOKS_PER_TENANT} webhooks; delete one first`);
    }
    await recordAudit(request, 'webhook.created', { type: 'webhook', id: webhook.id }, { host: new URL(webhook.url).host, events: webhook.events.join(',') });
    return { status: 201, body: { ...webhook, secret }, headers: { Location: `/v1/webhooks/${webhook.id}` } };
  },
});

export const listWebhooks = defineRoute({
  operationId: 'listWebhooks',
  method: 'GET',
  path: '/v1/webhooks',
  summary: "The tenant's webhooks, newest first; never their secrets.",
  tag: 'webhooks',
  permission: 'service:webhook',
  responses: { 200: { description: 'Every webhook of the tenant.', schema: z.strictObject({ items: z.array(WebhookViewSchema) }).meta({ id: 'WebhookList' }) } },
  async handle(request) {
    return { status: 200, body: { items: await request.runtime.webhooks.list(callerOf(request).tenant) } };
  },
});

export const deleteWebhook = defineRoute({
  operationId: 'deleteWebhook',
  method: 'DELETE',
  path: '/v1/webhooks/{webhookId}',
  summary: 'Delete a webhook and its secret; deliveries still queued for it are cancelled.',
  tag: 'webhooks',
  permission: 'service:webhook',
  params: WebhookParamsSchema,
  responses: { 204: { description: 'The webhook is gone.' } },
  async handle(request) {
    const removed = await request.runtime.webhooks.delete(callerOf(request).tenant, request.params.webhookId);
    if (removed === null) throw new HttpError(404, 'not_found', `no webhook ${request.params.webhookId}`);
    await recordAudit(request, 'webhook.deleted', { type: 'webhook', id: removed.id }, { host: new URL(removed.url).host });
    return { status: 204, body: undefined };
  },
});

export const testWebhook = defineRoute({
  operationId: 'testWebhook',
  method: 'POST',
  path: '/v1/webhooks/{webhookId}/test',
  summary: 'Send a webhook.ping event to this webhook, signed and retried like any other delivery.',
  tag: 'webhooks',
  permission: 'service:webhook',
  params: WebhookParamsSchema,
  responses: {
    202: {
      description: 'The ping is queued; its delivery appears in the delivery log.',
      schema: z.strictObject({ deliveryId: DeliveryIdSchema, eventId: z.string() }).meta({ id: 'QueuedPing' }),
    },
  },
  async handle(request) {
    const { runtime } = request;
    const webhook = await ownWebhook(runtime, callerOf(request), request.params.webhookId);
    if (!webhook.active) throw new HttpError(409, 'webhook_inactive', `the webhook was deactivated (${webhook.deactivationReason}); create a new one`);
    const now = runtime.clock();
    const delivery = await runtime.webhookDeliveries.open(newDelivery(pingEvent(webhook, now), webhook, now));
    try {
      await queueDelivery(runtime.events, delivery);
    } catch (error) {
      log('ERROR', `could not queue a ping: ${(error as Error).message}`, { webhookId: webhook.id, deliveryId: delivery.id });
      await runtime.webhookDeliveries.fail(delivery.id, 'the ping could not be queued', runtime.clock());
      throw new HttpError(503, 'queue_unavailable', 'the ping could not be queued; try again');
    }
    return { status: 202, body: { deliveryId: delivery.id, eventId: delivery.eventId } };
  },
});

export const listWebhookDeliveries = defineRoute({
  operationId: 'listWebhookDeliveries',
  method: 'GET',
  path: '/v1/webhooks/{webhookId}/deliveries',
  summary: "The webhook's delivery log, newest first: every event sent to it, each attempt with its answer or error.",
  tag: 'webhooks',
  permission: 'service:webhook',
  params: WebhookParamsSchema,
  query: z.strictObject({ limit: pageLimit(100, 20), cursor: DeliveryIdSchema.optional().meta({ description: 'nextCursor of the previous page' }) }),
  responses: { 200: { description: 'One page of deliveries.', schema: pageSchema(DeliveryViewSchema).meta({ id: 'WebhookDeliveryPage' }) } },
  async handle(request) {
    const { runtime, query } = request;
    const principal = callerOf(request);
    const webhook = await ownWebhook(runtime, principal, request.params.webhookId);
    const page = await pageAt(runtime.webhookDeliveries.list({ tenant: principal.tenant, webhookId: webhook.id, limit: query.limit, after: query.cursor }));
    return { status: 200, body: { items: page.items.map(deliveryView), nextCursor: page.next } };
  },
});
