import type { CloudEvent } from '@google-cloud/functions-framework';
import { MessagePublishedDataSchema, StageMessageSchema, type StageMessage } from '../../shared/schemas/messages';

export class UndecodableMessageError extends Error {
  constructor(
    reason: string,
    /** What the message's attributes say, so the failure can still be pinned on a job. */
    readonly attributes: Record<string, string>,
  ) {
    super(`undecodable message: ${reason}`);
    this.name = 'UndecodableMessageError';
  }
}

export interface DecodedMessage {
  message: StageMessage;
  attributes: Record<string, string>;
  /** The Pub/Sub message id, unique per published copy. */
  messageId: string;
}

/** Reads the stage message out of an Eventarc `messagePublished` CloudEvent. */
export function decodeMessage(event: CloudEvent<unknown>): DecodedMessage {
  const envelope = MessagePublishedDataSchema.safeParse(event.data);
  if (!envelope.success) throw new UndecodableMessageError('not a Pub/Sub messagePublished event', {});
  const { data, attributes = {}, messageId = event.id } = envelope.data.message;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(data ?? '', 'base64').toString('utf8'));
  } catch {
    throw new UndecodableMessageError('data is not JSON', attributes);
  }
  const parsed = StageMessageSchema.safeParse(payload);
  if (!parsed.success) {
    throw new UndecodableMessageError(`data is not a stage message (${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')})`, attributes);
  }
  return { message: parsed.data, attributes, messageId };
}
