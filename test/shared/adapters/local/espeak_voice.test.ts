import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateFfmpeg } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FfprobeProber } from '../../../../shared/adapters/ffmpeg/ffprobe_prober';
import { EspeakVoice } from '../../../../shared/adapters/local/espeak_voice';
import { wavDurationSec } from '../../../../shared/adapters/local/wav';

const LONG_LINE =
  'Fresh roasted beans delivered to your door every single week, ' +
  'so every morning starts with the best cup you have had.';

/** A PCM WAV header with an extra chunk before the data, as some writers add. */
function wavHeader(byteRate: number, dataBytes: number, declaredDataBytes = dataBytes): Buffer {
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8); // PCM
  fmt.writeUInt16LE(1, 10); // mono
  fmt.writeUInt32LE(byteRate / 2, 12);
  fmt.writeUInt32LE(byteRate, 16);
  const list = Buffer.from('LIST\x03\x00\x00\x00abc\x00', 'latin1'); // odd size: padded to even
  const data = Buffer.alloc(8 + dataBytes);
  data.write('data', 0, 'latin1');
  data.writeUInt32LE(declaredDataBytes, 4);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + fmt.length + list.length + data.length, 4);
  riff.write('WAVE', 8, 'latin1');
  return Buffer.concat([riff, fmt, list, data]);
}

describe('wavDurationSec', () => {
  it('divides the data size by the byte rate, skipping other chunks', () => {
    expect(wavDurationSec(wavHeader(44100, 22050))).to.equal(0.5);
  });

  it('reads to the end of the file when a streaming writer left the size at its maximum', () => {
    expect(wavDurationSec(wavHeader(44100, 11025, 0xffffffff))).to.equal(0.25);
  });

  it('refuses what is not a WAV file', () => {
    expect(() => wavDurationSec(Buffer.from('ID3 not a wave file'))).to.throw(/not a WAV/);
  });
});

describe('EspeakVoice', function () {
  this.timeout(30_000);
  const voice = new EspeakVoice();
  let workDir: string;
  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'espeak-voice-'));
  });
  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('is named after the engine', () => {
    expect(voice.name).to.equal('espeak-ng');
  });

  it('writes a WAV whose measured duration matches what ffprobe reads', async () => {
    const outPath = join(workDir, 'nested', 'hook.wav');
    const clip = await voice.synthesize('Stop scrolling. Your mornings just got better.', outPath, 10);
    expect(clip.path).to.equal(outPath);
    expect(clip.durationSec).to.be.within(1, 10);
    const info = await new FfprobeProber((await locateFfmpeg()).ffprobe).probe(outPath);
    expect(info.durationSec).to.be.closeTo(clip.durationSec, 0.01);
    expect(info.audio?.codec).to.equal('pcm_s16le');
  });

  it('speaks a long line faster so it fits a short limit', async () => {
    const natural = await voice.synthesize(LONG_LINE, join(workDir, 'natural.wav'), 60);
    const limit = natural.durationSec * 0.7;
    const fitted = await voice.synthesize(LONG_LINE, join(workDir, 'fitted.wav'), limit);
    expect(fitted.durationSec).to.be.at.most(limit);
    expect(fitted.durationSec).to.equal(wavDurationSec(await readFile(fitted.path)));
  });

  it('throws when even the fastest rate cannot fit the line', async () => {
    const outcome = await voice.synthesize(LONG_LINE, join(workDir, 'impossible.wav'), 0.5).then(
      () => null,
      (error: Error) => error,
    );
    expect(outcome?.message).to.match(/at 370 wpm, over the 0.5 s limit/);
  });

  it('speaks text that starts with a dash instead of reading it as an option', async () => {
    const clip = await voice.synthesize('-v fr -- --help', join(workDir, 'dash.wav'), 10);
    expect(clip.durationSec).to.be.greaterThan(0.3);
  });
});
