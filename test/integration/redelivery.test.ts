import { expect } from 'chai';
import { PubSub } from '@google-cloud/pubsub';
import { followJob } from '../../local/follow_job';
import { DEAD_LETTER_ARCHIVE } from '../../local/topology';
import { newJob } from '../../shared/domain/new_job';
import { validateBrief } from '../../shared/domain/brief_validation';
import { STAGE_TABLE } from '../../shared/stages';
import { shortBrief } from '../support/fixtures';
import { runToEnd, submitBrief } from '../support/jobs';
import { receiveMatching } from '../support/pull';
import { testPlatform } from '../support/root_hooks';

describe('at-least-once delivery', () => {
  it('delivers every message twice and out of order, and still renders once and delivers once', async () => {
    const platform = await testPlatform();
    platform.bus.duplicate = true;
    try {
      const job = await runToEnd(platform, shortBrief({ durationSec: 6, keyMessages: ['Duplicates change nothing'] }));
      expect(job.state, job.error?.reason).to.equal('DELIVERED');
      const clips = job.manifest!.scenes.length * job.manifest!.aspectRatios.length;
      expect(platform.renderer.renders.get(job.id)).to.equal(clips);
      expect(platform.renderer.maxRendersOfOneClip(job.id)).to.equal(1);
      expect(job.stateHistory.filter((entry) => entry.to === 'DELIVERED')).to.have.length(1);
      expect(job.stateHistory).to.have.length(7);
      // Let the late copies arrive, then check nothing moved.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const after = await platform.runtime.jobs.get(job.id);
      expect(after?.stateHistory).to.have.length(7);
      expect(after?.costLedger).to.have.length(job.costLedger.length);
      expect(platform.renderer.renders.get(job.id)).to.equal(clips);
    } finally {
      platform.bus.duplicate = false;
    }
  });

  it('completes a job whose scene render throws on its first delivery', async () => {
    const platform = await testPlatform();
    const id = await submitBrief(platform, shortBrief({ durationSec: 6, keyMessages: ['Retries recover'] }));
    platform.renderer.failNext(id, 1);
    const job = await followJob(platform.runtime.jobs, id, () => undefined);
    expect(job.state, job.error?.reason).to.equal('DELIVERED');
    expect(platform.renderer.renders.get(id)).to.equal(job.manifest!.scenes.length);
    expect(platform.renderer.maxRendersOfOneClip(id)).to.equal(1);
    expect(job.lastFailure).to.equal(null);
  });

  it('dead-letters a poison message and fails its job with the reason', async () => {
    const platform = await testPlatform();
    const validation = validateBrief(shortBrief());
    if (!validation.ok) throw new Error('fixture invalid');
    const job = newJob({ id: 'job_' + 'f'.repeat(16) + Date.now().toString(16).padStart(16, '0'), tenant: platform.tenant, brief: validation.brief, createdBy: null }, new Date());
    await platform.runtime.jobs.create(job);
    const pubsub = new PubSub({ projectId: platform.projectId });
    try {
      const archive = pubsub.subscription(DEAD_LETTER_ARCHIVE);
      await pubsub.topic(STAGE_TABLE.SUBMITTED.topic).publishMessage({
        data: Buffer.from('{not json'),
        attributes: { jobId: job.id, state: 'SUBMITTED', eventId: job.stateEventId },
      });
      const failed = await followJob(platform.runtime.jobs, job.id, () => undefined);
      expect(failed.state).to.equal('ERROR');
      expect(failed.error?.reason).to.match(/SUBMITTED failed after \d+ delivery attempts: undecodable message: data is not JSON/);
      expect(failed.stateHistory.at(-1)).to.include({ from: 'SUBMITTED', to: 'ERROR' });
      const dead = await receiveMatching(archive, (m) => m.attributes.jobId === job.id, 10_000);
      expect(dead.data.toString()).to.equal('{not json');
    } finally {
      await pubsub.close();
    }
  });
});
