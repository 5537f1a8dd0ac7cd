import type { Runtime } from '../runtime';
import type { Firing } from './firing';

/** A message on a service topic, decoded. */
export interface ServiceMessage {
  /** The body, parsed as JSON (null when the message had none). */
  data: unknown;
  attributes: Record<string, string>;
  messageId: string;
  publishTime: Date;
}

export interface ServiceContext {
  runtime: Runtime;
  message: ServiceMessage;
  /** The firing this delivery belongs to, for a scheduled service; null otherwise. */
  firing: Firing | null;
}

/** The work of a service function; resolves with a one-line summary for the log. Throw to have the message redelivered. */
export type ServiceWork = (context: ServiceContext) => Promise<string>;
