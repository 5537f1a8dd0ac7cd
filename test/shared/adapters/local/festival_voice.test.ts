import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateFfmpeg } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FfprobeProber } from '../../../../shared/adapters/ffmpeg/ffprobe_prober';
import { wavDurationSec } from '../../../../shared/adapters/local/wav';
import { FestivalVoice } from '../../../../shared/adapters/local/festival_voice';
import { SpeechTooLongError } from '../../../../shared/ports/media';

const LONG_LINE =
  'Fresh roasted beans delivered to your door every single week, ' +
  'so every morning starts with the best cup you have had.';

async function failure(promise: Promise<unknown>): Promise<Error | null> {
  return promise.then(
    () => null,
    (error: Error) => error,
  );
}

describe('FestivalVoice', function () {
  this.timeout(60_000);
  const voice = new FestivalVoice();
  let workDir: string;
  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'festival-voice-'));
  });
  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('is named after the engine and voice', () => {
    expect(voice.name).to.equal('festival-cmu-us-slt-hts');
  });

  it('speaks a line at its natural pace when the limit is generous', async () => {
    const outPath = join(workDir, 'nested', 'hook.wav');
    const clip = await voice.synthesize('Stop scrolling. Your mornings just got better.', outPath, 20);
    expect(clip.path).to.equal(outPath);
    expect(clip.durationSec).to.be.within(1.5, 6);
    const info = await new FfprobeProber((await locateFfmpeg()).ffprobe).probe(outPath);
    expect(info.durationSec).to.be.closeTo(clip.durationSec, 0.01);
    expect(info.audio?.codec).to.equal('pcm_s16le');
  });

  it('speaks a long line faster so it fits a tight limit', async () => {
    const natural = await voice.synthesize(LONG_LINE, join(workDir, 'natural.wav'), 60);
    const limit = natural.durationSec * 0.75;
    const fitted = await voice.synthesize(LONG_LINE, join(workDir, 'fitted.wav'), limit);
    expect(fitted.durationSec).to.be.at.most(limit);
    // Shortened by the rate, not cut: most of the limit is still used.
    expect(fitted.durationSec).to.be.greaterThan(limit * 0.9);
    expect(fitted.durationSec).to.equal(wavDurationSec(await readFile(fitted.path)));
  });

  it('throws SpeechTooLongError when even the shortest stretch cannot fit the line', async () => {
    const error = await failure(voice.synthesize(LONG_LINE, join(workDir, 'impossible.wav'), 1));
    expect(error).to.be.instanceOf(SpeechTooLongError);
    expect(error?.message).to.match(/at duration stretch 0\.60, over the 1 s limit/);
  });

  it('speaks text that looks like options or Scheme as text', async () => {
    const clip = await voice.synthesize('-o (quit) "--help"', join(workDir, 'odd.wav'), 20);
    expect(clip.durationSec).to.be.greaterThan(0.5);
  });

  it('says how to install festival when the binary is missing', async () => {
    const missing = new FestivalVoice({ binary: join(workDir, 'no-text2wave') });
    const error = await failure(missing.synthesize('Hello.', join(workDir, 'x.wav'), 10));
    expect(error?.message).to.match(/no-text2wave not found.*apt-get install -y festival festvox-us-slt-hts/);
  });

  it('fails clearly when the voice is not installed, although text2wave exits 0', async () => {
    const unknown = new FestivalVoice({ voice: 'voice_not_installed' });
    const error = await failure(unknown.synthesize('Hello.', join(workDir, 'x.wav'), 10));
    expect(error?.message).to.match(/voice_not_installed installed\?.*unbound variable/);
  });
});
