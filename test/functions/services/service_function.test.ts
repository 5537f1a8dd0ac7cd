import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { FiringBusyError, serviceFunction } from '../../../functions/services/service_function';
import type { ServiceWork } from '../../../functions/services/service_work';
import { SERVICE_TABLE } from '../../../shared/stages';
import { messagePublished } from '../../support/events';
import { rejectionOf } from '../../support/rejection';
import { testPlatform } from '../../support/root_hooks';

/** A distinct firing time per test, so the tests share the emulator's `firings` collection without meeting. */
function firingTime(minute: number): Date {
  return new Date(Date.UTC(2030, 0, 1, 0, minute * 5));
}

describe('scheduled service functions', () => {
  let runs: number;
  /** While set, the work waits for it: a run that is still going. */
  let gate: Promise<void> | null;
  const counting: ServiceWork = async () => {
    runs++;
    if (gate !== null) await gate;
    return 'counted';
  };

  beforeEach(async () => {
    await testPlatform();
    runs = 0;
    gate = null;
  });

  it('does the work of a firing delivered twice once', async () => {
    const handler = serviceFunction('stuck-jobs', counting);
    const publishTime = new Date(firingTime(1).getTime() + 2_000);
    await handler(messagePublished({ service: 'stuck-jobs' }, publishTime, 'first'));
    await handler(messagePublished({ service: 'stuck-jobs' }, publishTime, 'redelivered'));
    expect(runs).to.equal(1);
  });

  it('nacks a copy of a firing that arrives while the first copy runs', async () => {
    const handler = serviceFunction('stuck-jobs', counting);
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const first = handler(messagePublished({ service: 'stuck-jobs' }, firingTime(2)));
    while (runs === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const error = await rejectionOf(handler(messagePublished({ service: 'stuck-jobs' }, firingTime(2))));
    expect(error).to.be.instanceOf(FiringBusyError);
    open();
    await first;
    expect(runs).to.equal(1);
  });

  it('runs a firing again after a delivery whose work failed', async () => {
    let attempts = 0;
    const flaky: ServiceWork = async () => {
      attempts++;
      if (attempts === 1) throw new Error('transient');
      return 'done at last';
    };
    const handler = serviceFunction('stuck-jobs', flaky);
    expect((await rejectionOf(handler(messagePublished({}, firingTime(3))))).message).to.equal('transient');
    await handler(messagePublished({}, firingTime(3)));
    await handler(messagePublished({}, firingTime(3)));
    expect(attempts).to.equal(2);
  });

  it('runs each firing of the schedule once', async () => {
    const handler = serviceFunction('stuck-jobs', counting);
    await handler(messagePublished({}, firingTime(4)));
    await handler(messagePublished({}, firingTime(5)));
    expect(runs).to.equal(2);
  });

  it('refuses a firing message that is not JSON, so it is retried and dead-lettered', async () => {
    const handler = serviceFunction('stuck-jobs', counting);
    const event = messagePublished({}, firingTime(6));
    (event.data as { message: { data: string } }).message.data = Buffer.from('{oops').toString('base64');
    expect((await rejectionOf(handler(event))).message).to.match(/not JSON/);
    expect(runs).to.equal(0);
  });

  it('is fed by its topic: a firing published there is handled by the deployed function and recorded done', async () => {
    const platform = await testPlatform();
    const scheduledAt = firingTime(7).toISOString();
    await platform.runtime.events.publish(SERVICE_TABLE['stuck-jobs'].topic, { service: 'stuck-jobs', scheduledAt }, { service: 'stuck-jobs' });
    const db = new Firestore({ projectId: platform.projectId });
    try {
      const ref = db.collection('firings').doc(`stuck-jobs@${scheduledAt}`);
      const deadline = Date.now() + 20_000;
      let record = (await ref.get()).data();
      while ((record?.doneAt ?? null) === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        record = (await ref.get()).data();
      }
      expect(record?.doneAt, 'the firing was handled').to.be.a('string');
      expect(record?.summary).to.match(/^swept \d+ unfinished jobs/);
    } finally {
      await db.terminate();
    }
  });
});
