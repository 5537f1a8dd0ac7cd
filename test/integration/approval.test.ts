import { expect } from 'chai';
import { followJob } from '../../local/follow_job';
import type { Job } from '../../shared/schemas/job';
import { shortBrief } from '../support/fixtures';
import { postJson, submitBrief } from '../support/jobs';
import { testPlatform } from '../support/root_hooks';

function waitFor(platform: Awaited<ReturnType<typeof testPlatform>>, id: string, ready: (job: Job) => boolean): Promise<Job> {
  return new Promise((resolve, reject) => {
    const stop = platform.runtime.jobs.watch(
      id,
      (job) => {
        if (!ready(job)) return;
        stop();
        resolve(job);
      },
      reject,
    );
  });
}

describe('storyboard approval', () => {
  it('holds a job whose preset asks for approval until it is approved, then delivers it', async () => {
    const platform = await testPlatform();
    const id = await submitBrief(platform, shortBrief({ preset: 'brand_campaign', durationSec: 6 }));
    const waiting = await waitFor(platform, id, (job) => job.state === 'WAITING_APPROVAL' && job.approval !== null);
    expect(waiting.approval?.storyboardUri).to.match(/storyboard\.json$/);
    expect(platform.renderer.renders.get(id)).to.equal(undefined);

    const [first, second] = await Promise.all([postJson(platform, `/v1/jobs/${id}/approve`, {}), postJson(platform, `/v1/jobs/${id}/approve`, {})]);
    expect([first.status, second.status]).to.deep.equal([200, 200]);
    const job = await followJob(platform.runtime.jobs, id, () => undefined);
    expect(job.state, job.error?.reason).to.equal('DELIVERED');
    expect(job.stateHistory.map((e) => e.to)).to.deep.equal(['SUBMITTED', 'INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'WAITING_APPROVAL', 'RENDERING', 'QA_TECH', 'QA_SEMANTIC', 'DELIVERED']);
    expect(platform.renderer.renders.get(id)).to.equal(job.manifest!.scenes.length);
  });

  it('refuses to approve a job that is not waiting for approval', async () => {
    const platform = await testPlatform();
    const id = await submitBrief(platform, shortBrief({ durationSec: 6 }));
    const job = await followJob(platform.runtime.jobs, id, () => undefined);
    expect(job.state).to.equal('DELIVERED');
    const { status, body } = await postJson(platform, `/v1/jobs/${id}/approve`, {});
    expect(status).to.equal(409);
    expect(body.error.code).to.equal('not_waiting_for_approval');
  });
});
