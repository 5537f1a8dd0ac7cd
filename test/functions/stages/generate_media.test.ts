import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runStage } from '../../../functions/pipeline/stage_runner';
import type { Runtime } from '../../../functions/runtime';
import { STAGE_WORK, STEP_WORK } from '../../../functions/stages';
import { FfprobeProber } from '../../../shared/adapters/ffmpeg/ffprobe_prober';
import { locateFfmpeg } from '../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import type { Job } from '../../../shared/schemas/job';
import { startFakeGenai, type FakeGenai } from '../../support/fake_genai';
import { genaiInstance } from '../../support/genai_runtime';
import type { RecordingEventBus } from '../../support/recording_event_bus';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';
import { jobInRendering } from '../../support/staged_job';

/** A premium spot: its hook and key-message scenes are filmed, the brand flash and end card get keyframes. */
const BRIEF = { durationSec: 12, preset: 'premium_spot' as const, approval: false, keyMessages: ['Smooth cold brew all day'], aspectRatios: ['9:16' as const] };

describe('generateSceneMedia (the Veo, Imagen and fallback steps of RENDERING)', function () {
  this.timeout(300_000);
  let platform: TestPlatform;
  let fake: FakeGenai;
  let stopFake: () => Promise<void>;
  const opened: Array<{ close(): Promise<void> }> = [];

  /** A runtime as a fresh function instance builds it: the shared platform's stores, new genai clients, a recording bus. */
  async function instance(env: NodeJS.ProcessEnv = {}): Promise<Runtime & { bus: RecordingEventBus }> {
    const runtime = await genaiInstance(platform, { AIPROD_PROVIDER_CREATIVE: 'local', AIPROD_PROVIDER_VOICE: 'local', AIPROD_PROVIDER_JUDGE: 'local', ...env });
    opened.push(runtime.generative);
    return runtime;
  }

  before(async () => {
    platform = await testPlatform();
    ({ fake, stop: stopFake } = await startFakeGenai());
  });
  afterEach(() => {
    fake.calm();
    fake.videoReadyAfterMs = 0;
  });
  after(async () => {
    for (const runtime of opened) await runtime.close();
    await stopFake();
  });

  async function prepared(runtime: Runtime & { bus: RecordingEventBus }, tenant: string): Promise<Job> {
    const { job, message } = await jobInRendering(runtime.jobs, tenant, BRIEF);
    expect(await runStage(runtime, STAGE_WORK.RENDERING, message)).to.equal('done');
    return (await runtime.jobs.get(job.id))!;
  }

  it('starts a Veo clip in one instance and finishes polling it in fresh ones, each run short, after a restart', async () => {
    fake.videoReadyAfterMs = 2500;
    const first = await instance();
    const job = await prepared(first, `veo-${Date.now()}`);
    const backends = job.render!.backends.map((choice) => choice.backend);
    expect(backends[0]).to.equal('imagen');
    expect(backends).to.include('veo');
    expect(job.estimate!.lines.some((line) => line.item === 'veo-3.0-generate-001/video-second')).to.equal(true);
    const veoScene = backends.indexOf('veo');
    const key = `${veoScene}@9:16`;
    const generates = first.bus.take('generate');
    expect(generates.map((m) => m.step)).to.deep.include({ kind: 'generate', sceneIndex: veoScene, sourceRatio: '9:16', attempt: 0 });
    const start = generates.find((m) => m.step?.kind === 'generate' && m.step.sceneIndex === veoScene)!;

    await runStage(first, STEP_WORK.generate, start);
    const started = (await first.jobs.get(job.id))!.render!.sources[key];
    expect(started.status).to.equal('pending');
    expect(started.operationName).to.match(/\/operations\//);
    let [poll] = first.bus.take('generate');
    expect(poll.step).to.deep.include({ attempt: 1 });
    // The first instance goes away with everything it held in memory: only the job document knows the operation.
    await first.generative.close();

    let runs = 0;
    let current = await instance();
    for (;;) {
      const began = Date.now();
      await runStage(current, STEP_WORK.generate, poll);
      runs++;
      const source = (await current.jobs.get(job.id))!.render!.sources[key];
      if (source.status === 'ready') break;
      expect(Date.now() - began, 'a run that finds the clip pending ends within AIPROD_VEO_POLL_WAIT_SEC=1').to.be.below(2500);
      expect(source.polls).to.equal(runs);
      const previous = poll;
      [poll] = current.bus.take('generate');
      expect(poll.step).to.deep.include({ attempt: runs + 1 });
      expect(await runStage(current, STEP_WORK.generate, previous), 'a redelivered poll does nothing').to.equal('stale');
      expect(runs).to.be.below(10);
      current = await instance();
    }
    expect(runs, 'the clip took more than one poll run').to.be.at.least(2);
    const done = (await current.jobs.get(job.id))!;
    expect(done.render!.sources[key]).to.include({ status: 'ready', backend: 'veo' });
    expect(done.costLedger.filter((entry) => entry.item === 'veo-3.0-generate-001/video-second').map((entry) => entry.units)).to.deep.equal([4]);
    const [render] = current.bus.take('scene');
    expect(render.step).to.deep.equal({ kind: 'scene', sceneIndex: veoScene, aspectRatio: '9:16' });

    await runStage(current, STEP_WORK.scene, render);
    const clipKey = (await current.jobs.get(job.id))!.render!.clips[key];
    const info = await new FfprobeProber((await locateFfmpeg()).ffprobe).probe(fileURLToPath(current.blobs.uri(clipKey)));
    expect(info.video).to.include({ width: 1080, height: 1920 });
    expect(info.durationSec).to.be.closeTo(done.manifest!.scenes[veoScene].durationSec, 0.05);
  });

  it('falls back from Veo to a keyframe, and from a keyframe to the offline renderer, with the reasons in the job', async () => {
    fake.storm(['videoStart', 'image'], { kind: 'status', status: 503, message: 'The service is currently unavailable.' });
    const runtime = await instance({ AIPROD_BREAKER_FAILURES: '100' });
    const job = await prepared(runtime, `storm-${Date.now()}`);
    for (const message of runtime.bus.take('generate')) await runStage(runtime, STEP_WORK.generate, message);
    const done = (await runtime.jobs.get(job.id))!;
    const sources = Object.values(done.render!.sources);
    expect(sources.every((source) => source.status === 'ready' && source.backend === 'local' && source.blobKey === null)).to.equal(true);
    const fallbacks = done.providerEvents.filter((event) => event.kind === 'fallback');
    expect(fallbacks.some((event) => event.capability === 'video' && /HTTP 503 on all 4 attempts; scene \d 9:16 gets a keyframe instead of a clip/.test(event.detail))).to.equal(true);
    expect(fallbacks.some((event) => event.capability === 'image' && /drawn offline$/.test(event.detail))).to.equal(true);
    expect(done.providerEvents.filter((event) => event.kind === 'retry').length).to.be.greaterThan(0);
    expect(runtime.bus.take('scene')).to.have.length(done.manifest!.scenes.length);
  });

  it('takes a keyframe the brand already has from its cache instead of generating it again', async () => {
    const runtime = await instance({ AIPROD_PROVIDER_VIDEO: 'local' });
    const tenant = `cache-${Date.now()}`;
    for (const round of [1, 2]) {
      const job = await prepared(runtime, tenant);
      const before = fake.count('image');
      for (const message of runtime.bus.take('generate')) await runStage(runtime, STEP_WORK.generate, message);
      runtime.bus.take('scene');
      const done = (await runtime.jobs.get(job.id))!;
      const sources = Object.values(done.render!.sources);
      expect(sources.every((source) => source.backend === 'imagen' && source.blobKey !== null && existsSync(fileURLToPath(runtime.blobs.uri(source.blobKey))))).to.equal(true);
      if (round === 1) expect(fake.count('image') - before).to.equal(sources.length);
      else {
        expect(fake.count('image') - before, 'second ad of the brand').to.equal(0);
        expect(sources.every((source) => /brand cache/.test(source.note))).to.equal(true);
      }
    }
  });
});
