import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { runStage } from '../../../functions/pipeline/stage_runner';
import { STAGE_WORK, STEP_WORK } from '../../../functions/stages';
import { monthOf } from '../../../shared/domain/budget';
import { estimateJob } from '../../../shared/domain/estimate';
import { startFakeGenai, type FakeGenai } from '../../support/fake_genai';
import { genaiInstance } from '../../support/genai_runtime';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';
import { jobInRendering } from '../../support/staged_job';

describe('prepareRender with generative providers', function () {
  this.timeout(300_000);
  let platform: TestPlatform;
  let fake: FakeGenai;
  let stopFake: () => Promise<void>;
  let db: Firestore;
  const opened: Array<{ close(): Promise<void> }> = [];

  before(async () => {
    platform = await testPlatform();
    ({ fake, stop: stopFake } = await startFakeGenai());
    db = new Firestore({ projectId: platform.projectId });
  });
  afterEach(() => fake.calm());
  after(async () => {
    for (const runtime of opened) await runtime.close();
    await db.terminate();
    await stopFake();
  });

  async function instance(env: NodeJS.ProcessEnv = {}) {
    const runtime = await genaiInstance(platform, { AIPROD_PROVIDER_CREATIVE: 'local', AIPROD_PROVIDER_JUDGE: 'local', ...env });
    opened.push(runtime.generative);
    return runtime;
  }

  /** A tenant's budget as the budget store keeps it, this month. */
  const budgetOf = (monthlyUsd: number, spentUsd: number, reservedUsd: number) => ({
    budget: { monthlyUsd, month: monthOf(new Date()), spentUsd, reservedUsd, updatedAt: new Date().toISOString() },
  });

  it('renders everything offline when the tenant has too little budget left, and says so', async () => {
    const tenant = `poor-${Date.now()}`;
    await db.collection('tenants').doc(tenant).set(budgetOf(10, 9.99, 0));
    const runtime = await instance({ AIPROD_PROVIDER_VOICE: 'local' });
    const { job, message } = await jobInRendering(runtime.jobs, tenant, { durationSec: 12, preset: 'premium_spot', approval: false });
    await runStage(runtime, STAGE_WORK.RENDERING, message);
    const done = (await runtime.jobs.get(job.id))!;
    expect(done.render!.backends.every((choice) => choice.backend === 'local')).to.equal(true);
    expect(done.render!.backends.some((choice) => /^budget: the estimate \$[\d.]+ is over the \$0\.01 left/.test(choice.reason))).to.equal(true);
    expect(done.estimate!.totalUsd).to.be.at.most(0.01);
    expect(done.stateHistory.at(-1)!.to).to.equal('RENDERING');
    expect(runtime.bus.take('generate')).to.deep.equal([]);
    expect(runtime.bus.take('scene')).to.have.length(done.manifest!.scenes.length);
  });

  it("counts the job's own reservation as its own: a budget that only the job's reservation fills still films it", async () => {
    const tenant = `reserved-${Date.now()}`;
    const runtime = await instance({ AIPROD_PROVIDER_VOICE: 'local' });
    const { job, message } = await jobInRendering(runtime.jobs, tenant, { durationSec: 12, preset: 'premium_spot', approval: false });
    // What the job set aside at submission (with room to spare for the voice's timing): everything the budget has.
    const reservedUsd = 2 * estimateJob({ brief: job.brief, preset: job.preset!, manifest: job.manifest!, models: runtime.generative.models }).totalUsd;
    await db.collection('tenants').doc(tenant).set(budgetOf(reservedUsd, 0, reservedUsd));
    await runtime.jobs.update(job.id, (current) => ({ job: { ...current, reservation: { usd: reservedUsd, month: monthOf(new Date()), at: new Date().toISOString() } }, result: undefined }));
    await runStage(runtime, STAGE_WORK.RENDERING, message);
    const done = (await runtime.jobs.get(job.id))!;
    expect(done.render!.backends.map((choice) => choice.backend)).to.include('veo');
    expect(done.render!.backends.some((choice) => choice.reason.startsWith('budget:'))).to.equal(false);
    expect(done.estimate!.totalUsd).to.be.greaterThan(0).and.at.most(reservedUsd);
    runtime.bus.take('generate');
    runtime.bus.take('scene');
  });

  it('sends again what the run still waits for when its message comes back (a redelivery, the sweeper)', async () => {
    const runtime = await instance({ AIPROD_PROVIDER_VOICE: 'local', AIPROD_PROVIDER_VIDEO: 'local' });
    const { job, message } = await jobInRendering(runtime.jobs, `resend-${Date.now()}`, { durationSec: 8 });
    await runStage(runtime, STAGE_WORK.RENDERING, message);
    const [first, ...others] = runtime.bus.take('generate');
    expect(others.length).to.be.greaterThan(0);
    await runStage(runtime, STEP_WORK.generate, first);
    runtime.bus.take('scene');

    expect(await runStage(runtime, STAGE_WORK.RENDERING, message)).to.equal('stale');
    const again = runtime.bus.take('generate').map((m) => m.step);
    expect(again, 'the sources still pending, from their first attempt').to.deep.equal(others.map((m) => m.step));
    const scenes = runtime.bus.take('scene').map((m) => m.step);
    expect(scenes, 'the renders of the ready source only').to.deep.equal([{ kind: 'scene', sceneIndex: (first.step as { sceneIndex: number }).sceneIndex, aspectRatio: '9:16' }]);
    expect((await runtime.jobs.get(job.id))!.state).to.equal('RENDERING');
  });

  it('speaks with Gemini, and falls back to the offline voice for every line when Gemini speech fails', async () => {
    const runtime = await instance();
    const spoken = await jobInRendering(runtime.jobs, `voice-${Date.now()}`, { durationSec: 8 });
    await runStage(runtime, STAGE_WORK.RENDERING, spoken.message);
    const withGemini = (await runtime.jobs.get(spoken.job.id))!;
    expect(withGemini.costLedger.map((entry) => entry.item)).to.include('gemini-2.5-flash-preview-tts/output-token');
    expect(withGemini.providerEvents).to.deep.equal([]);

    fake.storm(['speech'], { kind: 'status', status: 503, message: 'overloaded' });
    const failing = await jobInRendering(runtime.jobs, `voice-${Date.now()}`, { durationSec: 8 });
    await runStage(runtime, STAGE_WORK.RENDERING, failing.message);
    const fallen = (await runtime.jobs.get(failing.job.id))!;
    const fallback = fallen.providerEvents.find((event) => event.kind === 'fallback')!;
    expect(fallback).to.include({ capability: 'voice', provider: 'gemini-2.5-flash-preview-tts:Kore', stage: 'RENDERING' });
    expect(fallback.detail).to.match(/the offline voice (festival-cmu-us-slt-hts|espeak-ng) spoke every line$/);
    expect(fallen.costLedger.some((entry) => entry.item.startsWith('voice.'))).to.equal(true);
    expect(fallen.render!.voice).to.have.length(fallen.manifest!.scenes.length);
  });
});
