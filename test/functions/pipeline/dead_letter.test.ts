import { expect } from 'chai';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { DeadLetterDeferredError, failDeadLetteredJob } from '../../../functions/pipeline/dead_letter';
import type { Job } from '../../../shared/schemas/job';
import { jobInState } from '../../support/job_fixtures';
import { rejectionOf } from '../../support/rejection';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';

function deadLetterOf(job: Job): CloudEvent<unknown> {
  const attributes = { jobId: job.id, state: job.state, eventId: job.stateEventId, CloudPubSubDeadLetterSourceDeliveryCount: '5' };
  const data = Buffer.from(JSON.stringify({ jobId: job.id, state: job.state, eventId: job.stateEventId })).toString('base64');
  return { id: 'm1', source: 'test', type: 'google.cloud.pubsub.topic.v1.messagePublished', specversion: '1.0', data: { message: { data, attributes, messageId: 'm1' } } };
}

async function withLease(platform: TestPlatform, job: Job, workKey: string, expiresInSec: number): Promise<void> {
  await platform.runtime.jobs.update(job.id, (current) => ({
    job: { ...current, leases: { [workKey]: { holder: 'other-delivery', expiresAt: new Date(Date.now() + expiresInSec * 1000).toISOString() } } },
    result: null,
  }));
}

describe('dead letters', () => {
  let platform: TestPlatform;
  before(async () => (platform = await testPlatform()));

  it('do not fail a job whose work another delivery is still doing: they wait for it', async () => {
    const job = await jobInState(platform, platform.tenant, 'RENDERING');
    await withLease(platform, job, `${job.stateEventId}/scene/0/9:16`, 120);
    expect(await rejectionOf(failDeadLetteredJob(deadLetterOf(job)))).to.be.instanceOf(DeadLetterDeferredError);
    expect((await platform.runtime.jobs.get(job.id))?.state).to.equal('RENDERING');
  });

  it('fail the job with the recorded reason once no delivery is working on it', async () => {
    const job = await jobInState(platform, platform.tenant, 'RENDERING');
    await withLease(platform, job, job.stateEventId, -1);
    await platform.runtime.jobs.update(job.id, (current) => ({ job: { ...current, lastFailure: { state: 'RENDERING', message: 'ffmpeg crashed', at: new Date().toISOString() } }, result: null }));
    await failDeadLetteredJob(deadLetterOf(job));
    const failed = await platform.runtime.jobs.get(job.id);
    expect(failed?.state).to.equal('ERROR');
    expect(failed?.error?.reason).to.equal('RENDERING failed after 5 delivery attempts: ffmpeg crashed');
  });

  it('change nothing for a job that has moved on', async () => {
    const job = await jobInState(platform, platform.tenant, 'RENDERING');
    const stale = deadLetterOf({ ...job, stateEventId: 'evt_old' });
    await failDeadLetteredJob(stale);
    expect((await platform.runtime.jobs.get(job.id))?.state).to.equal('RENDERING');
  });
});
