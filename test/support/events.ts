import type { CloudEvent } from '@google-cloud/functions-framework';

/** The messagePublished CloudEvent Eventarc (locally the bridge) hands a function for one Pub/Sub message. */
export function messagePublished(data: unknown, publishTime: Date, messageId = `m-${Math.random().toString(16).slice(2)}`): CloudEvent<unknown> {
  return {
    id: messageId,
    source: '//pubsub.googleapis.com/projects/aiprod-local/topics/test',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    specversion: '1.0',
    data: {
      message: { data: Buffer.from(JSON.stringify(data)).toString('base64'), attributes: {}, messageId, publishTime: publishTime.toISOString() },
      subscription: 'projects/aiprod-local/subscriptions/test',
    },
  };
}
