import { expect } from 'chai';
import { followJob } from '../../../local/follow_job';
import { stalledForSec, stallAfterSec, sweepStuckJobs } from '../../../functions/services/sweep_stuck_jobs';
import type { Runtime } from '../../../functions/runtime';
import { newJob } from '../../../shared/domain/new_job';
import { validateBrief } from '../../../shared/domain/brief_validation';
import type { Job } from '../../../shared/schemas/job';
import type { StageMessage } from '../../../shared/schemas/messages';
import { STEP_TABLE } from '../../../shared/stages';
import { shortBrief } from '../../support/fixtures';
import { submitBrief, waitForJob } from '../../support/jobs';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';

/** The platform's runtime with its clock moved to `at`: what the sweeper sees when it fires then. */
function at(platform: TestPlatform, when: Date): Runtime {
  return { ...platform.runtime, clock: () => when };
}

function sweep(platform: TestPlatform, when: Date): Promise<string> {
  const message = { data: {}, attributes: {}, messageId: 'sweep', publishTime: when };
  return sweepStuckJobs({ runtime: at(platform, when), message, firing: null });
}

/** A moment just past the point where the job counts as stalled in its state. */
function pastTimeout(job: Job, from: string): Date {
  return new Date(Date.parse(from) + (stallAfterSec(job.state) + 1) * 1000);
}

function scenesPublished(platform: TestPlatform, jobId: string): number {
  return platform.bus.published.filter(({ topic, data }) => topic === STEP_TABLE.scene.topic && (data as StageMessage).jobId === jobId).length;
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Submits a brief whose scene-render messages are lost (as if every publish after the plan's commit failed). */
async function submitWithLostScenes(platform: TestPlatform, lost: Set<string>, keyMessage: string): Promise<Job> {
  platform.bus.drop = (topic, data) => topic === STEP_TABLE.scene.topic && lost.has((data as StageMessage).jobId);
  const id = await submitBrief(platform, shortBrief({ keyMessages: [keyMessage] }));
  lost.add(id);
  // The plan is committed and the fan-out sent (and lost): the job sits in RENDERING with no clip on the way.
  const job = await waitForJob(platform, id, (current) => current.state === 'RENDERING' && current.settledWork.includes(current.stateEventId));
  await until(() => scenesPublished(platform, id) > 0);
  return job;
}

describe('stuck-job sweeper', () => {
  describe('when a job counts as stalled', () => {
    const validation = validateBrief(shortBrief());
    if (!validation.ok) throw new Error('fixture invalid');
    const entered = new Date('2030-01-01T00:00:00Z');
    const job = (patch: Partial<Job>): Job => ({ ...newJob({ id: 'job_stall', tenant: 'local', brief: validation.brief, createdBy: null }, entered), ...patch });
    const later = (seconds: number) => new Date(entered.getTime() + seconds * 1000);

    it("allows a state the longest timeout of its own work and its steps' work", () => {
      expect(stallAfterSec('RENDERING')).to.equal(Math.max(300, STEP_TABLE.scene.timeoutSec, STEP_TABLE.assemble.timeoutSec));
      expect(stallAfterSec('SUBMITTED')).to.equal(60);
    });

    it('counts a job stalled once its state timeout has passed without progress', () => {
      expect(stalledForSec(job({}), later(60))).to.equal(null);
      expect(stalledForSec(job({}), later(61))).to.equal(61);
      expect(stalledForSec(job({ updatedAt: later(30).toISOString() }), later(61)), 'progress 30 s in').to.equal(null);
    });

    it('never sweeps a job waiting for approval, a job whose work holds a live lease, or a closed job', () => {
      expect(stalledForSec(job({ state: 'WAITING_APPROVAL' }), later(86_400))).to.equal(null);
      expect(stalledForSec(job({ leases: { e: { holder: 'h', expiresAt: later(1000).toISOString() } } }), later(900))).to.equal(null);
      expect(stalledForSec(job({ state: 'DELIVERED', completedAt: later(1).toISOString() }), later(86_400))).to.equal(null);
      expect(stalledForSec(job({ state: 'DELIVERED' }), later(121)), 'a delivered job whose closing work is lost').to.equal(121);
    });

    it('leaves a job its budget paused alone, but not the closing work of one cancelled while paused', () => {
      const pause = { state: 'SUBMITTED' as const, at: entered.toISOString(), reason: 'used up', resumedAt: null, resumeReason: null };
      expect(stalledForSec(job({ pauses: [pause] }), later(86_400))).to.equal(null);
      expect(stalledForSec(job({ pauses: [{ ...pause, resumedAt: entered.toISOString(), resumeReason: 'raised' }] }), later(61))).to.equal(61);
      expect(stalledForSec(job({ state: 'CANCELLED', pauses: [pause] }), later(121))).to.equal(121);
    });
  });

  describe('on the emulators, with a controllable clock', () => {
    const lost = new Set<string>();
    afterEach(async () => {
      (await testPlatform()).bus.drop = null;
    });

    it('recovers a job left in RENDERING past its timeout by publishing its message again', async () => {
      const platform = await testPlatform();
      const stalled = await submitWithLostScenes(platform, lost, 'Sweeper recovers');
      lost.delete(stalled.id);

      const early = new Date(Date.parse(stalled.updatedAt) + 10_000);
      await sweep(platform, early);
      expect((await platform.runtime.jobs.get(stalled.id))?.sweep, 'not stalled yet').to.equal(undefined);

      const when = pastTimeout(stalled, stalled.updatedAt);
      expect(await sweep(platform, when)).to.match(/[1-9]\d* re-published/);
      const job = await followJob(platform.runtime.jobs, stalled.id, () => undefined);
      expect(job.state, job.error?.reason).to.equal('DELIVERED');
      expect(job.sweep).to.deep.equal({ state: 'RENDERING', eventId: stalled.stateEventId, republishedAt: when.toISOString() });
      expect(platform.renderer.maxRendersOfOneClip(job.id)).to.equal(1);
    });

    it('recovers a RENDERING job whose assembly message was lost after its last clip rendered', async () => {
      const platform = await testPlatform();
      platform.bus.drop = (topic, data) => topic === STEP_TABLE.assemble.topic && lost.has((data as StageMessage).jobId);
      const id = await submitBrief(platform, shortBrief({ keyMessages: ['Assembly recovers'] }));
      lost.add(id);
      const clipsDone = (job: Job) => job.render !== null && job.render.assemblyQueuedBy !== null;
      const stalled = await waitForJob(platform, id, clipsDone);
      const assembliesLost = () => platform.bus.published.filter(({ topic, data }) => topic === STEP_TABLE.assemble.topic && (data as StageMessage).jobId === id).length;
      await until(() => assembliesLost() > 0);
      lost.delete(id);

      await sweep(platform, pastTimeout(stalled, stalled.updatedAt));
      const job = await followJob(platform.runtime.jobs, id, () => undefined);
      expect(job.state, job.error?.reason).to.equal('DELIVERED');
      expect(platform.renderer.maxRendersOfOneClip(id)).to.equal(1);
    });

    it('fails a job that stalls again after its message was published again, with the reason', async () => {
      const platform = await testPlatform();
      const stalled = await submitWithLostScenes(platform, lost, 'Sweeper gives up');
      const first = pastTimeout(stalled, stalled.updatedAt);
      const before = scenesPublished(platform, stalled.id);
      await sweep(platform, first);
      // The stage runner answered the re-published message by sending the fan-out again (lost again).
      await until(() => scenesPublished(platform, stalled.id) > before);
      expect((await platform.runtime.jobs.get(stalled.id))?.state).to.equal('RENDERING');

      const second = pastTimeout(stalled, first.toISOString());
      await sweep(platform, second);
      const job = await followJob(platform.runtime.jobs, stalled.id, () => undefined);
      expect(job.state).to.equal('ERROR');
      const expected = `RENDERING made no progress for ${stallAfterSec('RENDERING') + 1} s after being re-published at ${first.toISOString()}`;
      expect(job.error).to.deep.equal({ state: 'RENDERING', reason: expected });
      expect(job.stateHistory.at(-1)).to.include({ from: 'RENDERING', to: 'ERROR', reason: expected });
      expect(platform.renderer.renders.get(job.id) ?? 0).to.equal(0);
    });
  });
});
