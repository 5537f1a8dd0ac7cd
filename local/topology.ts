import type { PubSub } from '@google-cloud/pubsub';
import { DEAD_LETTER, DELIVERY_POLICY, SERVICE_TABLE, SERVICES, STAGE_TABLE, STATES, STEP_TABLE, STEPS, type DeliveryPolicy } from '../shared/stages';

/** Retry backoff locally: at most this long, so retries show up in seconds rather than minutes. */
export interface LocalBackoff {
  minimumSec: number;
  maximumSec: number;
}

export const DEAD_LETTER_ARCHIVE = `${DEAD_LETTER.topic}-archive`;

/** One push subscription: which topic feeds which function, and how failed deliveries are retried and given up. */
export interface PushSubscription {
  functionName: string;
  topic: string;
  timeoutSec: number;
  delivery: DeliveryPolicy;
  /** Where a message goes after delivery.maxDeliveryAttempts; none for the dead-letter handler itself. */
  deadLetterTopic?: string;
}

/** Every push subscription the tables name: the stages and steps, the dead-letter handler, and the services. */
export function pushSubscriptions(): PushSubscription[] {
  const pipeline = [...STATES.map((state) => STAGE_TABLE[state]), ...STEPS.map((step) => STEP_TABLE[step])].map((spec) => ({
    functionName: spec.functionName,
    topic: spec.topic,
    timeoutSec: spec.timeoutSec,
    delivery: DELIVERY_POLICY,
    deadLetterTopic: DEAD_LETTER.topic,
  }));
  const services = SERVICES.map((name) => SERVICE_TABLE[name]).map((spec) => ({
    functionName: spec.functionName,
    topic: spec.topic,
    timeoutSec: spec.timeoutSec,
    delivery: spec.delivery,
    deadLetterTopic: spec.deadLetterTopic,
  }));
  const deadLetter = { functionName: DEAD_LETTER.functionName, topic: DEAD_LETTER.topic, timeoutSec: DEAD_LETTER.timeoutSec, delivery: DELIVERY_POLICY };
  return [...pipeline, deadLetter, ...services];
}

function duration(seconds: number) {
  return { seconds: Math.floor(seconds), nanos: Math.round((seconds % 1) * 1e9) };
}

/**
 * Creates every topic and push subscription the tables name, with the same retry and dead-letter policies as
 * Terraform (each entry's own; only the backoff is capped by `backoff`): each subscription pushes to its function,
 * and the dead-letter topic also keeps a pull subscription as the archive of dead letters.
 */
export async function createTopology(pubsub: PubSub, endpoint: (functionName: string) => string, backoff: LocalBackoff): Promise<void> {
  const subscriptions = pushSubscriptions();
  // Every topic first: a subscription's dead-letter topic must exist before the subscription names it.
  await Promise.all(subscriptions.map((subscription) => pubsub.topic(subscription.topic).create()));
  await pubsub.topic(DEAD_LETTER.topic).createSubscription(DEAD_LETTER_ARCHIVE);
  await Promise.all(
    subscriptions.map(({ functionName, topic, timeoutSec, delivery, deadLetterTopic }) =>
      pubsub.topic(topic).createSubscription(`${topic}-${functionName}`, {
        pushConfig: { pushEndpoint: endpoint(functionName) },
        ackDeadlineSeconds: Math.min(600, Math.max(10, timeoutSec)),
        ...(deadLetterTopic === undefined
          ? {}
          : { deadLetterPolicy: { deadLetterTopic: pubsub.topic(deadLetterTopic).name, maxDeliveryAttempts: delivery.maxDeliveryAttempts } }),
        retryPolicy: {
          minimumBackoff: duration(Math.min(delivery.minimumBackoffSec, backoff.minimumSec)),
          maximumBackoff: duration(Math.min(delivery.maximumBackoffSec, backoff.maximumSec)),
        },
      }),
    ),
  );
}
