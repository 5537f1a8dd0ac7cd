import type { PubSub } from '@google-cloud/pubsub';
import { DEAD_LETTER, DELIVERY_POLICY, STAGE_TABLE, STATES, STEP_TABLE, STEPS } from '../shared/stages';

/** Retry backoff locally: the stage table's policy, minus the waiting, so retries show up in seconds. */
export interface LocalBackoff {
  minimumSec: number;
  maximumSec: number;
}

export const DEAD_LETTER_ARCHIVE = `${DEAD_LETTER.topic}-archive`;

function duration(seconds: number) {
  return { seconds: Math.floor(seconds), nanos: Math.round((seconds % 1) * 1e9) };
}

/**
 * Creates every topic and push subscription the stage and step tables name, with the same dead-letter policy as Terraform:
 * each stage's subscription pushes to its function; the dead-letter topic pushes to its handler and keeps a
 * pull subscription as the archive of dead letters.
 */
export async function createTopology(pubsub: PubSub, endpoint: (functionName: string) => string, backoff: LocalBackoff): Promise<void> {
  const deadLetterTopic = pubsub.topic(DEAD_LETTER.topic);
  await deadLetterTopic.create();
  await deadLetterTopic.createSubscription(`${DEAD_LETTER.topic}-${DEAD_LETTER.functionName}`, {
    pushConfig: { pushEndpoint: endpoint(DEAD_LETTER.functionName) },
    ackDeadlineSeconds: DEAD_LETTER.timeoutSec,
  });
  await deadLetterTopic.createSubscription(DEAD_LETTER_ARCHIVE);
  const pushed = [...STATES.map((state) => STAGE_TABLE[state]), ...STEPS.map((step) => STEP_TABLE[step])];
  await Promise.all(
    pushed.map(async (stage) => {
      const topic = pubsub.topic(stage.topic);
      await topic.create();
      await topic.createSubscription(`${stage.topic}-${stage.functionName}`, {
        pushConfig: { pushEndpoint: endpoint(stage.functionName) },
        ackDeadlineSeconds: Math.min(600, stage.timeoutSec),
        deadLetterPolicy: { deadLetterTopic: deadLetterTopic.name, maxDeliveryAttempts: DELIVERY_POLICY.maxDeliveryAttempts },
        retryPolicy: { minimumBackoff: duration(backoff.minimumSec), maximumBackoff: duration(backoff.maximumSec) },
      });
    }),
  );
}
