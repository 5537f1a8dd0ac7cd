import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GenerativeRuntime } from '../../functions/generative_runtime';
import { ledgerTotal } from '../../shared/domain/prices';
import type { Job } from '../../shared/schemas/job';
import { FAKE_CREDENTIALS, startFakeGenai, type FakeGenai, type FakeRoute } from '../support/fake_genai';
import { genaiRuntime } from '../support/genai_runtime';
import { runToEnd } from '../support/jobs';
import { adminClient } from '../support/principals';
import { testPlatform, type TestPlatform } from '../support/root_hooks';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const ALL_ROUTES: FakeRoute[] = ['creative', 'judge', 'speech', 'image', 'videoStart', 'videoPoll'];

function example(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

function secretsIn(text: string): boolean {
  return text.includes(FAKE_CREDENTIALS.apiKey);
}

/**
 * The whole pipeline with AIPROD_PROVIDERS=genai: every function of the local platform runs the real SDK against
 * the fake genai server (Gemini API with a mounted key for Gemini, Vertex AI for Imagen and Veo).
 */
describe('example briefs with generative providers (the real SDK against the fake genai server)', function () {
  this.timeout(900_000);
  let platform: TestPlatform;
  let fake: FakeGenai;
  let stopFake: () => Promise<void>;
  let offline: GenerativeRuntime;
  let generative: Awaited<ReturnType<typeof genaiRuntime>>;

  async function resetBreakers(): Promise<void> {
    const breakers = await generative.firestore.collection('providerBreakers').get();
    await Promise.all(breakers.docs.map((doc) => doc.ref.delete()));
  }

  before(async () => {
    platform = await testPlatform();
    ({ fake, stop: stopFake } = await startFakeGenai());
    generative = await genaiRuntime(platform.projectId, { AIPROD_BREAKER_COOLDOWN_SEC: '600' });
    offline = platform.runtime.generative;
    // Every function of the platform reads this runtime: from now on its calls go to the fake server.
    platform.runtime.generative = generative;
    await resetBreakers();
  });
  after(async () => {
    await resetBreakers();
    platform.runtime.generative = offline;
    await generative.close();
    await stopFake();
  });

  function expectCostsAddUp(job: Job): void {
    expect(job.totalCostUsd, 'actual = the ledger').to.be.closeTo(ledgerTotal(job.costLedger), 1e-8);
    expect(job.totalCostUsd).to.be.closeTo(job.costLedger.reduce((sum, entry) => sum + entry.costUsd, 0), 1e-7);
    expect(job.estimate, 'estimate').to.not.equal(null);
    expect(job.costDifferenceUsd).to.be.closeTo(job.totalCostUsd - job.estimate!.totalUsd, 1e-7);
  }

  async function expectNoSecretOutside(job: Job): Promise<void> {
    const log = readFileSync(path.join(platform.workDir, 'functions.log'), 'utf8');
    expect(secretsIn(log), 'a log line holds the API key').to.equal(false);
    expect(secretsIn(JSON.stringify(await platform.runtime.jobs.get(job.id))), 'the job document holds the API key').to.equal(false);
    const response = await adminClient(platform).get(`/v1/jobs/${job.id}`);
    expect(response.status).to.equal(200);
    expect(secretsIn(JSON.stringify(response.body)), 'the API response holds the API key').to.equal(false);
  }

  for (const name of ['coffee-30s', 'saas-15s', 'retail-60s']) {
    it(`delivers examples/${name}.json with a generated storyboard, keyframes, clips where the preset films, Gemini voice and judge`, async () => {
      const started = Date.now();
      const job = await runToEnd(platform, example(name));
      expect(job.state, job.error?.reason).to.equal('DELIVERED');
      expect(job.manifest!.planner).to.equal('gemini-2.5-flash');
      expect(job.manifest!.scenes.every((scene) => typeof scene.visual === 'string')).to.equal(true);
      const sources = Object.values(job.render!.sources);
      expect(sources.length).to.be.greaterThan(0);
      expect(sources.every((source) => source.status === 'ready' && source.backend === source.planned && source.blobKey !== null)).to.equal(true);
      const items = new Set(job.costLedger.map((entry) => entry.item));
      for (const item of ['gemini-2.5-flash/input-token', 'imagen-4.0-generate-001/image', 'gemini-2.5-flash-preview-tts/output-token']) expect(items, item).to.include(item);
      if (job.preset!.name !== 'quick_social') {
        expect(sources.some((source) => source.backend === 'veo')).to.equal(true);
        expect(items).to.include('veo-3.0-generate-001/video-second');
      }
      expect(job.costLedger.some((entry) => entry.stage === 'QA_SEMANTIC' && entry.item === 'gemini-2.5-flash/input-token'), 'the judge is billed').to.equal(true);
      expect(job.qa.judge?.map((report) => report.aspectRatio)).to.deep.equal(job.brief.aspectRatios);
      expect(job.qa.tech?.passed).to.equal(true);
      expect(job.qa.semantic?.passed).to.equal(true);
      expect(job.providerEvents.filter((event) => event.kind === 'fallback')).to.deep.equal([]);
      for (const video of job.outputs.videos) expect(existsSync(fileURLToPath(video.uri))).to.equal(true);
      expectCostsAddUp(job);
      await expectNoSecretOutside(job);
      console.log(`      ${name}: ${((Date.now() - started) / 1000).toFixed(0)} s, estimate $${job.estimate!.totalUsd.toFixed(4)}, actual $${job.totalCostUsd.toFixed(4)}, backends ${job.render!.backends.map((b) => b.backend).join(' ')}`);
    });
  }

  describe('with the server failing', () => {
    before(async () => {
      await resetBreakers();
      fake.storm(ALL_ROUTES, { kind: 'status', status: 500, message: 'Internal error encountered.' });
      // An error that quotes the key it was sent (as a careless proxy might): it must be redacted everywhere.
      fake.script('creative', { kind: 'status', status: 400, message: `API key not valid: ${FAKE_CREDENTIALS.apiKey}` });
    });
    after(() => fake.calm());

    for (const name of ['coffee-30s', 'saas-15s', 'retail-60s']) {
      it(`delivers examples/${name}.json on the offline fallbacks, with every fallback's reason in the job`, async () => {
        const started = Date.now();
        const job = await runToEnd(platform, example(name));
        expect(job.state, job.error?.reason).to.equal('DELIVERED');
        expect(job.manifest!.planner).to.equal('offline-v1');
        expect(Object.values(job.render!.sources).every((source) => source.status === 'ready' && source.backend === 'local')).to.equal(true);
        const fallbacks = job.providerEvents.filter((event) => event.kind === 'fallback');
        for (const capability of ['creative', 'voice', 'image', 'judge'] as const) {
          expect(fallbacks.some((event) => event.capability === capability), `a ${capability} fallback`).to.equal(true);
        }
        for (const event of fallbacks) expect(event.detail).to.match(/(HTTP \d{3}|circuit breaker)/);
        if (name === 'coffee-30s') {
          const creative = fallbacks.find((event) => event.capability === 'creative')!;
          expect(creative.detail, 'the key the server echoed').to.include('API key not valid: [redacted]');
        }
        expect(job.qa.judge).to.equal(undefined);
        expect(job.qa.semantic?.passed).to.equal(true);
        expectCostsAddUp(job);
        await expectNoSecretOutside(job);
        console.log(`      ${name} on fallbacks: ${((Date.now() - started) / 1000).toFixed(0)} s, ${fallbacks.length} fallbacks, ${job.providerEvents.filter((e) => e.kind === 'retry').length} retries, breaker trips ${job.providerEvents.filter((e) => e.kind === 'breaker_open').length}`);
      });
    }
  });
});
