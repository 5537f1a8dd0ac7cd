import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { EventBus } from '../../ports/event_bus';

/** Publishes JSON messages to Pub/Sub topics, one message per request so a hop is not held back by batching. */
export class PubSubEventBus implements EventBus {
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly pubsub: PubSub) {}

  private topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (topic === undefined) {
      topic = this.pubsub.topic(name, { batching: { maxMessages: 1 } });
      this.topics.set(name, topic);
    }
    return topic;
  }

  publish(topic: string, data: unknown, attributes: Record<string, string>): Promise<string> {
    return this.topic(topic).publishMessage({ data: Buffer.from(JSON.stringify(data)), attributes });
  }
}
