import type { Message, Subscription } from '@google-cloud/pubsub';

/** Waits for the first message on `subscription` that `match` accepts; acks what it sees. */
export function receiveMatching(subscription: Subscription, match: (message: Message) => boolean, timeoutMs: number): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.removeListener('message', onMessage);
      void subscription.close();
      reject(new Error(`no matching message within ${timeoutMs} ms`));
    }, timeoutMs);
    function onMessage(message: Message) {
      message.ack();
      if (!match(message)) return;
      clearTimeout(timer);
      subscription.removeListener('message', onMessage);
      void subscription.close().then(() => resolve(message));
    }
    subscription.on('message', onMessage);
  });
}
