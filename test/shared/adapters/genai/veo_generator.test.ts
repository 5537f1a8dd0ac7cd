import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VeoGenerator } from '../../../../shared/adapters/genai/veo_generator';
import { FfprobeProber } from '../../../../shared/adapters/ffmpeg/ffprobe_prober';
import { locateFfmpeg } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { startGenaiKit } from '../../../support/genai_kit';
import { testSession } from '../../../support/provider_session';

describe('VeoGenerator with the real SDK (Vertex mode) against the fake genai server', () => {
  let kit: Awaited<ReturnType<typeof startGenaiKit>>;

  before(async () => {
    kit = await startGenaiKit();
  });
  afterEach(() => {
    kit.fake.calm();
    kit.fake.pollsToFinish = 1;
  });
  after(() => kit.stop());

  it('starts a long-running operation, and a new client resumes it from the stored name until the clip is ready', async () => {
    kit.fake.pollsToFinish = 2;
    const request = { prompt: 'a commuter opens a cold brew can', negativePrompt: 'text', aspectRatio: '9:16' as const, durationSec: 4 };
    const startSession = testSession();
    const name = await new VeoGenerator(kit.sdk, kit.vertex(), 'veo-3.0-generate-001').start(request, startSession);
    expect(name).to.match(/^projects\/fake\/locations\/us-central1\/publishers\/google\/models\/veo-3\.0-generate-001\/operations\//);
    const started = kit.fake.requests.at(-1)!;
    expect(started.url).to.match(/veo-3\.0-generate-001:predictLongRunning$/);
    expect(started.body.parameters).to.include({ durationSeconds: 4, aspectRatio: '9:16', generateAudio: false, sampleCount: 1 });
    expect(startSession.ledger, 'nothing billed before a clip exists').to.deep.equal([]);

    // A later invocation: its own SDK client, knowing only the name.
    const resumed = new VeoGenerator(kit.sdk, kit.vertex(), 'veo-3.0-generate-001');
    const pollSession = testSession();
    expect(await resumed.poll({ name, durationSec: 4 }, pollSession)).to.deep.equal({ done: false });
    const done = await resumed.poll({ name, durationSec: 4 }, pollSession);
    expect(kit.fake.requests.at(-1)!.body).to.deep.equal({ operationName: name });
    if (!done.done || !('video' in done)) throw new Error('expected a clip');
    expect(done.video.mimeType).to.equal('video/mp4');
    expect(pollSession.ledger.map((entry) => [entry.item, entry.units, entry.costUsd])).to.deep.equal([['veo-3.0-generate-001/video-second', 4, 0.8]]);

    const dir = await mkdtemp(path.join(tmpdir(), 'veo-'));
    try {
      await writeFile(path.join(dir, 'clip.mp4'), done.video.bytes);
      const info = await new FfprobeProber((await locateFfmpeg()).ffprobe).probe(path.join(dir, 'clip.mp4'));
      expect(info.video).to.include({ codec: 'h264', width: 720, height: 1280 });
      expect(info.durationSec).to.be.closeTo(4, 0.1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('retries a poll that failed with a 500', async () => {
    const veo = new VeoGenerator(kit.sdk, kit.vertex(), 'veo-3.0-generate-001');
    const name = await veo.start({ prompt: 'landscape', negativePrompt: '', aspectRatio: '16:9', durationSec: 4 }, testSession());
    kit.fake.script('videoPoll', { kind: 'status', status: 500 });
    const session = testSession();
    const done = await veo.poll({ name, durationSec: 4 }, session);
    expect(done.done).to.equal(true);
    expect(session.events.map((event) => event.kind)).to.deep.equal(['retry']);
  });
});
