import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateFfmpeg, type FfmpegBinaries } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FfprobeProber } from '../../../../shared/adapters/ffmpeg/ffprobe_prober';
import { FfmpegMusicComposer, musicParamsFromSeed } from '../../../../shared/adapters/ffmpeg/music_composer';
import { runTool } from '../../../../shared/adapters/ffmpeg/run_tool';

const SAMPLE_RATE = 48000;
const SEED = 'Northside Coffee|warm';

/** A file's audio as mono float samples at 48 kHz. */
async function decode(tools: FfmpegBinaries, path: string, workDir: string): Promise<Float32Array> {
  const raw = join(workDir, 'decoded.f32');
  await runTool(tools.ffmpeg, ['-v', 'error', '-y', '-i', path, '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 'f32le', raw]);
  const bytes = await readFile(raw);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

/** Power of one frequency in a stretch of samples (Goertzel). */
function power(samples: Float32Array, hz: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / SAMPLE_RATE);
  let previous = 0;
  let beforePrevious = 0;
  for (const sample of samples) {
    const current = sample + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
}

/** Each pitch class's power, summed over the octaves the pads and arpeggio play in (MIDI 55–90). */
function pitchClassPowers(samples: Float32Array): number[] {
  const powers = new Array<number>(12).fill(0);
  for (let note = 55; note <= 90; note += 1) powers[note % 12] += power(samples, 440 * 2 ** ((note - 69) / 12));
  return powers;
}

describe('musicParamsFromSeed', () => {
  it('gives the same key and tempo for the same seed', () => {
    expect(musicParamsFromSeed(SEED)).to.deep.equal(musicParamsFromSeed(SEED));
  });

  it('spreads seeds over keys and calm tempi', () => {
    const params = Array.from({ length: 60 }, (_, index) => musicParamsFromSeed(`brand-${index}`));
    for (const { tonic, beatsPerMinute } of params) {
      expect(tonic).to.be.within(0, 11);
      expect(beatsPerMinute).to.be.within(84, 108);
    }
    expect(new Set(params.map((p) => p.tonic)).size).to.be.at.least(8);
    expect(new Set(params.map((p) => p.beatsPerMinute)).size).to.be.at.least(12);
  });
});

describe('FfmpegMusicComposer', function () {
  this.timeout(60_000);
  let tools: FfmpegBinaries;
  let workDir: string;
  let cacheDir: string;
  let composer: FfmpegMusicComposer;
  let bedPath: string;
  let firstRenderMs: number;
  before(async () => {
    tools = await locateFfmpeg();
    workDir = await mkdtemp(join(tmpdir(), 'music-composer-'));
    cacheDir = join(workDir, 'cache');
    composer = new FfmpegMusicComposer(tools.ffmpeg, cacheDir);
    bedPath = join(workDir, 'out', 'bed.wav');
    const started = Date.now();
    await composer.compose(30, SEED, bedPath);
    firstRenderMs = Date.now() - started;
  });
  after(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('writes a 48 kHz stereo WAV of the requested length, quickly', async () => {
    const info = await new FfprobeProber(tools.ffprobe).probe(bedPath);
    expect(info.durationSec).to.be.closeTo(30, 0.01);
    expect(info.audio).to.deep.equal({ codec: 'pcm_s16le', sampleRate: SAMPLE_RATE, channels: 2 });
    expect(firstRenderMs).to.be.below(10_000);
  });

  it('sits at about -20 LUFS with headroom', async () => {
    const { stderr } = await runTool(tools.ffmpeg, [
      '-hide_banner', '-nostats', '-i', bedPath, '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-',
    ]);
    const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
    expect(Number(/I:\s+(\S+) LUFS/.exec(summary)?.[1])).to.be.within(-21.5, -18.5);
    expect(Number(/Peak:\s+(\S+) dBFS/.exec(summary)?.[1])).to.be.below(-3);
  });

  it('plays I–V–vi–IV in the key the seed picks, one chord per bar', async () => {
    const { tonic, beatsPerMinute } = musicParamsFromSeed(SEED);
    const barSec = (4 * 60) / beatsPerMinute;
    const samples = await decode(tools, bedPath, workDir);
    const chords = [
      [0, 4, 7],
      [7, 11, 2],
      [9, 0, 4],
      [5, 9, 0],
    ];
    // The second loop, clear of the fade-in; the middle of each bar, clear of the swells.
    chords.forEach((chord, bar) => {
      const start = Math.round((4 + bar + 0.25) * barSec * SAMPLE_RATE);
      const powers = pitchClassPowers(samples.subarray(start, start + Math.round(0.5 * barSec * SAMPLE_RATE)));
      const ranked = powers.map((p, pc) => ({ p, pc })).sort((a, b) => b.p - a.p);
      const top = ranked.slice(0, 3).map((entry) => entry.pc);
      expect(top, `bar ${bar + 1}`).to.have.members(chord.map((interval) => (tonic + interval) % 12));
    });
  });

  it('joins bars and loops without clicks, and is never silent between its fades', async () => {
    const samples = await decode(tools, bedPath, workDir);
    let largestStep = 0;
    for (let i = 1; i < samples.length; i += 1) largestStep = Math.max(largestStep, Math.abs(samples[i] - samples[i - 1]));
    expect(largestStep).to.be.below(0.05);
    const window = SAMPLE_RATE / 4;
    for (let start = 2 * SAMPLE_RATE; start + window < samples.length - 2 * SAMPLE_RATE; start += window) {
      const slice = samples.subarray(start, start + window);
      const rms = Math.sqrt(slice.reduce((sum, x) => sum + x * x, 0) / slice.length);
      expect(20 * Math.log10(rms), `at ${(start / SAMPLE_RATE).toFixed(2)} s`).to.be.above(-45);
    }
  });

  it('reuses the cached bed for the same seed and length, without running ffmpeg', async () => {
    const cachedOnly = new FfmpegMusicComposer(join(workDir, 'no-ffmpeg-here'), cacheDir);
    const again = join(workDir, 'again.wav');
    await cachedOnly.compose(30, SEED, again);
    expect(Buffer.compare(await readFile(again), await readFile(bedPath))).to.equal(0);
  });

  it('reuses the cached loop for another length of the same music', async () => {
    const longer = join(workDir, 'longer.wav');
    const started = Date.now();
    await composer.compose(45, SEED, longer);
    const longerMs = Date.now() - started;
    expect(longerMs).to.be.below(firstRenderMs);
    const loops = (await readdir(cacheDir)).filter((name) => name.startsWith('music-loop-'));
    expect(loops).to.have.length(1);
    const info = await new FfprobeProber(tools.ffprobe).probe(longer);
    expect(info.durationSec).to.be.closeTo(45, 0.01);
  });

  it('writes different music for a different seed', async () => {
    const other = join(workDir, 'other.wav');
    await composer.compose(30, 'Another brand|bold', other);
    expect(musicParamsFromSeed('Another brand|bold')).to.not.deep.equal(musicParamsFromSeed(SEED));
    expect(Buffer.compare(await readFile(other), await readFile(bedPath))).to.not.equal(0);
  });
});
