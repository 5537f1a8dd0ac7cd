import { createServer } from 'node:http';
import { PubSub } from '@google-cloud/pubsub';
import { formatMs, quantile } from './stats';

/**
 * The Pub/Sub emulator's own publish → push delay, to a bare HTTP receiver: the floor under every hop of the
 * local pipeline, whatever our code does.
 */
export async function benchBrokerFloor(projectId: string, messages: number): Promise<void> {
  const delays: number[] = [];
  let sentAt = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      delays.push(Date.now() - sentAt);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as { port: number }).port;
  const pubsub = new PubSub({ projectId });
  try {
    const [topic] = await pubsub.createTopic(`bench-floor-${Date.now()}`);
    await topic.createSubscription(`${topic.name.split('/').pop()}-push`, { pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/` } });
    const publisher = pubsub.topic(topic.name, { batching: { maxMessages: 1 } });
    for (let i = 0; i < messages; i++) {
      const received = delays.length;
      sentAt = Date.now();
      await publisher.publishMessage({ data: Buffer.from('x') });
      while (delays.length === received) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    await pubsub.close();
    receiver.close();
  }
  console.log(`Pub/Sub emulator floor (publish → push to a bare receiver), ${messages} messages:`);
  console.log(`  p50 ${formatMs(quantile(delays, 0.5))}   p99 ${formatMs(quantile(delays, 0.99))}`);
}
