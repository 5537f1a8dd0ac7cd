/** Publishes messages to topics (Pub/Sub in both modes). */
export interface EventBus {
  /** Resolves with the message id once the broker has the message. */
  publish(topic: string, data: unknown, attributes: Record<string, string>): Promise<string>;
}
