import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GeminiVoice } from '../../../../shared/adapters/genai/gemini_voice';
import { locateFfmpeg } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { wavDurationSec } from '../../../../shared/adapters/local/wav';
import { SpeechTooLongError } from '../../../../shared/ports/media';
import { startGenaiKit } from '../../../support/genai_kit';
import { testSession } from '../../../support/provider_session';
import { rejectionOf } from '../../../support/rejection';

describe('GeminiVoice with the real SDK against the fake genai server (espeak-ng speech as 24 kHz PCM)', () => {
  let kit: Awaited<ReturnType<typeof startGenaiKit>>;
  let voice: GeminiVoice;
  let dir: string;
  const line = 'Smooth cold brew, ready in your bag.';

  before(async () => {
    kit = await startGenaiKit();
    voice = new GeminiVoice(kit.gemini(), 'gemini-2.5-flash-preview-tts', 'Kore', (await locateFfmpeg()).ffmpeg);
    dir = await mkdtemp(path.join(tmpdir(), 'gemini-voice-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await kit.stop();
  });

  it('speaks the line with the chosen voice and writes a WAV of the speech alone, billing its tokens', async () => {
    const session = testSession();
    const clip = await voice.synthesize(line, path.join(dir, 'natural.wav'), 10, session);
    const request = kit.fake.requests.at(-1)!;
    expect(request.body.generationConfig).to.deep.equal({ responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } } } });
    expect(request.body.contents[0].parts[0].text).to.match(new RegExp(`: ${line}$`));
    const wav = await readFile(clip.path);
    expect(wav.readUInt32LE(24), 'sample rate').to.equal(24000);
    expect(clip.durationSec).to.be.closeTo(wavDurationSec(wav), 1e-9);
    expect(clip.durationSec).to.be.within(1, 4);
    expect(session.ledger.map((entry) => entry.item)).to.deep.equal(['gemini-2.5-flash-preview-tts/input-token', 'gemini-2.5-flash-preview-tts/output-token']);
  });

  it('speeds a line up to fit its limit, keeping the words', async () => {
    const natural = await voice.synthesize(line, path.join(dir, 'a.wav'), 10, testSession());
    const limit = natural.durationSec * 0.85;
    const fitted = await voice.synthesize(line, path.join(dir, 'b.wav'), limit, testSession());
    expect(fitted.durationSec).to.be.at.most(limit);
    expect(fitted.durationSec).to.be.at.least(limit * 0.9);
  });

  it('refuses a line that would need more than 1.35 × speed', async () => {
    const natural = await voice.synthesize(line, path.join(dir, 'c.wav'), 10, testSession());
    const error = await rejectionOf(voice.synthesize(line, path.join(dir, 'd.wav'), natural.durationSec / 2, testSession()));
    expect(error).to.be.instanceOf(SpeechTooLongError);
  });
});
