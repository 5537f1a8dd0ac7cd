import { z } from 'zod';
import { StateSchema } from '../stages';
import { AspectRatioSchema } from './brief';

/** A part of a state's work that runs in its own invocation. */
export const StepSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('scene'), sceneIndex: z.number().int().min(0), aspectRatio: AspectRatioSchema }),
  z.strictObject({ kind: z.literal('assemble') }),
  /** One scene's generated picture in one source format; attempt 0 generates or starts it, later ones poll it. */
  z.strictObject({ kind: z.literal('generate'), sceneIndex: z.number().int().min(0), sourceRatio: AspectRatioSchema, attempt: z.number().int().min(0) }),
]);
export type Step = z.infer<typeof StepSchema>;

/** What every stage and step topic carries: which job entered which state, by which transition, and which step. */
export const StageMessageSchema = z.strictObject({
  jobId: z.string().min(1),
  state: StateSchema,
  eventId: z.string().min(1),
  step: StepSchema.optional(),
});
export type StageMessage = z.infer<typeof StageMessageSchema>;

/** The Pub/Sub message inside an Eventarc messagePublished CloudEvent. */
export const PubSubMessageSchema = z.object({
  data: z.string().optional(),
  attributes: z.record(z.string(), z.string()).optional(),
  messageId: z.string().optional(),
  publishTime: z.string().optional(),
});
export const MessagePublishedDataSchema = z.object({
  message: PubSubMessageSchema,
  subscription: z.string().optional(),
});
export type MessagePublishedData = z.infer<typeof MessagePublishedDataSchema>;

/** The unit of work a message asks for: the state's own work, or one of its steps. Settled once, never redone. */
export function workKeyOf(message: StageMessage): string {
  if (message.step === undefined) return message.eventId;
  if (message.step.kind === 'scene') return `${message.eventId}/scene/${message.step.sceneIndex}/${message.step.aspectRatio}`;
  if (message.step.kind === 'generate') return `${message.eventId}/generate/${message.step.sceneIndex}/${message.step.sourceRatio}/${message.step.attempt}`;
  return `${message.eventId}/assemble`;
}

/** Attributes every stage message carries, so a dead-letter handler can find the job even in an unreadable body. */
export function messageAttributes(message: StageMessage): Record<string, string> {
  return { jobId: message.jobId, state: message.state, eventId: message.eventId };
}
