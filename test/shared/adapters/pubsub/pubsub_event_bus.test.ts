import { expect } from 'chai';
import { PubSub } from '@google-cloud/pubsub';
import { PubSubEventBus } from '../../../../shared/adapters/pubsub/pubsub_event_bus';
import { receiveMatching } from '../../../support/pull';
import { testPlatform } from '../../../support/root_hooks';

describe('PubSubEventBus on the Pub/Sub emulator', () => {
  it('publishes JSON data with attributes that a subscriber receives intact', async () => {
    const platform = await testPlatform();
    const pubsub = new PubSub({ projectId: platform.projectId });
    try {
      const [topic] = await pubsub.createTopic(`bus-test-${Date.now()}`);
      const [subscription] = await topic.createSubscription(`${topic.name.split('/').pop()}-sub`);
      const bus = new PubSubEventBus(pubsub);
      const id = await bus.publish(topic.name.split('/').pop()!, { jobId: 'job_x', n: 1 }, { jobId: 'job_x' });
      expect(id).to.be.a('string').and.not.equal('');
      const message = await receiveMatching(subscription, (m) => m.id === id, 10_000);
      expect(JSON.parse(message.data.toString())).to.deep.equal({ jobId: 'job_x', n: 1 });
      expect(message.attributes).to.deep.equal({ jobId: 'job_x' });
    } finally {
      await pubsub.close();
    }
  });
});
