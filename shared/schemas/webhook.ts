import { z } from 'zod';
import { PrincipalSchema, TenantIdSchema } from '../domain/auth/principal';
import { StateSchema } from '../stages';
import { MonthSchema } from './tenant';

/** The events a webhook may subscribe to. */
export const WEBHOOK_EVENT_TYPES = ['job.created', 'job.state_changed', 'job.completed', 'job.failed', 'batch.completed', 'budget.threshold'] as const;
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/** Sent to one webhook on request (POST /v1/webhooks/{id}/test); nobody subscribes to it. */
export const PING_EVENT_TYPE = 'webhook.ping';

export const WebhookIdSchema = z.string().regex(/^whk_[0-9a-f]{24}$/);
export const DeliveryIdSchema = z.string().regex(/^dlv_[0-9a-f]{32}$/);
const IsoTimeSchema = z.iso.datetime();

/** A webhook subscription as stored; its signing secret is kept apart (WebhookSecretSchema). */
export const WebhookSchema = z.strictObject({
  id: WebhookIdSchema,
  tenant: TenantIdSchema,
  url: z.string(),
  events: z.array(WebhookEventTypeSchema).min(1),
  description: z.string().nullable(),
  /** False once the endpoint answered 410 Gone: nothing is sent to it any more. */
  active: z.boolean(),
  deactivatedAt: IsoTimeSchema.nullable(),
  deactivationReason: z.string().nullable(),
  createdAt: IsoTimeSchema,
  createdBy: PrincipalSchema.nullable(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

/** The key a webhook's deliveries are signed with, in a collection of its own that no client rule opens. */
export const WebhookSecretSchema = z.strictObject({
  webhookId: WebhookIdSchema,
  tenant: TenantIdSchema,
  secret: z.string().min(32),
});
export type WebhookSecret = z.infer<typeof WebhookSecretSchema>;

const JobEventDataSchema = z.strictObject({
  jobId: z.string(),
  batchId: z.string().nullable(),
  state: StateSchema,
  /** Null for job.created: the job had no state before. */
  previousState: StateSchema.nullable(),
  reason: z.string(),
});

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.strictObject({ id: z.string().min(1), type: z.literal(type), createdAt: IsoTimeSchema, tenant: TenantIdSchema, data });

/** What a webhook receives as the request body: one event. The id is stable, so a receiver can drop a repeat. */
export const WebhookEventSchema = z
  .discriminatedUnion('type', [
    envelope('job.created', JobEventDataSchema),
    envelope('job.state_changed', JobEventDataSchema),
    envelope('job.completed', JobEventDataSchema),
    envelope('job.failed', JobEventDataSchema),
    envelope(
      'batch.completed',
      z.strictObject({ batchId: z.string(), jobIds: z.array(z.string()), finished: z.record(z.string(), StateSchema), completedAt: IsoTimeSchema }),
    ),
    /** The tenant's spending this month crossed a threshold (percent) of its budget; sent once per threshold and month. */
    envelope(
      'budget.threshold',
      z.strictObject({ tenant: TenantIdSchema, month: MonthSchema, thresholdPercent: z.number().int().positive(), spentUsd: z.number().min(0), budgetUsd: z.number().min(0) }),
    ),
    envelope(PING_EVENT_TYPE, z.strictObject({ webhookId: WebhookIdSchema })),
  ])
  .meta({ id: 'WebhookEvent' });
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One try at sending a delivery: what the endpoint answered, or why nothing was answered. */
export const DeliveryAttemptSchema = z.strictObject({
  attempt: z.number().int().min(1),
  at: IsoTimeSchema,
  durationMs: z.number().min(0),
  /** The endpoint's HTTP status (after redirects); null when the request got no answer. */
  statusCode: z.number().int().nullable(),
  /** Why the attempt failed; null for a 2xx. */
  error: z.string().nullable(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttemptSchema>;

/** One event on its way to one webhook, with every attempt: the delivery log. Its id derives from both. */
export const WebhookDeliverySchema = z.strictObject({
  id: DeliveryIdSchema,
  tenant: TenantIdSchema,
  webhookId: WebhookIdSchema,
  eventId: z.string(),
  eventType: z.string(),
  /** The job the event is about, so erasing the job erases its deliveries. */
  jobId: z.string().nullable(),
  event: WebhookEventSchema,
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.array(DeliveryAttemptSchema),
  /** Why the delivery is not (yet) done: the last failed attempt, or why it was given up or cancelled. */
  lastError: z.string().nullable(),
  /** Held while an attempt is being made, so two copies of one delivery message do not send at once. */
  lease: z.strictObject({ holder: z.string(), expiresAt: IsoTimeSchema }).nullable(),
  createdAt: IsoTimeSchema,
  updatedAt: IsoTimeSchema,
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** What the deliveries topic carries: which delivery to attempt (its event and webhook are named for the logs). */
export const WebhookDeliveryMessageSchema = z.strictObject({
  deliveryId: DeliveryIdSchema,
  eventId: z.string(),
  webhookId: WebhookIdSchema,
});
export type WebhookDeliveryMessage = z.infer<typeof WebhookDeliveryMessageSchema>;
