import { expect } from 'chai';
import { LocalScheduler, scheduledTopics } from '../../local/scheduler';
import type { EventBus } from '../../shared/ports/event_bus';
import { SERVICE_TABLE, SERVICES } from '../../shared/stages';

class RecordingBus implements EventBus {
  readonly messages: Array<{ topic: string; data: { service: string; scheduledAt: string }; attributes: Record<string, string> }> = [];
  async publish(topic: string, data: unknown, attributes: Record<string, string>): Promise<string> {
    this.messages.push({ topic, data: data as { service: string; scheduledAt: string }, attributes });
    return String(this.messages.length);
  }
}

describe('local scheduler', () => {
  it('fires every scheduled entry of the service table, and only those', () => {
    const scheduled = SERVICES.filter((name) => SERVICE_TABLE[name].schedule !== undefined);
    expect(scheduledTopics().map((entry) => entry.service)).to.deep.equal(scheduled);
    for (const entry of scheduledTopics()) {
      expect(entry.topic).to.equal(SERVICE_TABLE[entry.service].topic);
      expect(entry.schedule).to.deep.equal(SERVICE_TABLE[entry.service].schedule);
    }
  });

  it("publishes a firing to the entry's topic on its cron, naming the time it was due, until stopped", async () => {
    const bus = new RecordingBus();
    const scheduler = new LocalScheduler(bus, [{ service: 'stuck-jobs', topic: 'aiprod-test-tick', schedule: { cron: '* * * * * *', timeZone: 'Etc/UTC' } }]);
    try {
      const deadline = Date.now() + 3_500;
      while (bus.messages.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      scheduler.stop();
    }
    expect(bus.messages.length).to.be.at.least(2);
    for (const { topic, data, attributes } of bus.messages) {
      expect(topic).to.equal('aiprod-test-tick');
      expect(attributes).to.deep.equal({ service: 'stuck-jobs' });
      expect(data.service).to.equal('stuck-jobs');
      expect(Date.parse(data.scheduledAt) % 1000, 'a whole second, as the cron says').to.equal(0);
    }
    const fired = bus.messages.length;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(bus.messages.length, 'nothing after stop').to.equal(fired);
  });
});
