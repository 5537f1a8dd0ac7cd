import { z } from 'zod';
import { StateSchema } from '../stages';

/** What every stage topic carries: which job entered which state, by which transition. */
export const StageMessageSchema = z.strictObject({
  jobId: z.string().min(1),
  state: StateSchema,
  eventId: z.string().min(1),
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
