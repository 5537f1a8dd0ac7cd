import { expect } from 'chai';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegAssembler } from '../../../../shared/adapters/ffmpeg/ffmpeg_assembler';
import { locateFfmpeg, type FfmpegBinaries } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FfprobeProber } from '../../../../shared/adapters/ffmpeg/ffprobe_prober';
import { runTool } from '../../../../shared/adapters/ffmpeg/run_tool';
import { EspeakVoice } from '../../../../shared/adapters/local/espeak_voice';
import type { AssemblyRequest, AssemblyResult, MediaInfo } from '../../../../shared/ports/media';

const CLIP_SEC = 4;
const SCENES = ['testsrc2', 'rgbtestsrc', 'smptehdbars'];
const DURATION_SEC = CLIP_SEC * SCENES.length;
/** Lines start in scenes 1 and 2; scene 3 has no voice, only music. */
const LINES = [
  { text: 'Stop scrolling. Your mornings just got better.', startSec: 0.3 },
  { text: 'Fresh roasted beans at your door, every week.', startSec: CLIP_SEC + 0.3 },
];
const GAP = { startSec: 2 * CLIP_SEC + 0.5, endSec: DURATION_SEC - 0.5 };
/**
 * espeak-ng speaks at 22.05 kHz, so nothing of the voice lies above 11 kHz, while the test's bed is noise
 * up to 15 kHz: the 12–14 kHz band of the mix is the music alone, even while someone speaks.
 */
const MUSIC_ONLY_BAND = 'highpass=f=12000,highpass=f=12000,highpass=f=12000,lowpass=f=14000,lowpass=f=14000';

async function ffmpegRun(tools: FfmpegBinaries, args: string[]): Promise<string> {
  return (await runTool(tools.ffmpeg, ['-hide_banner', '-nostats', '-y', ...args])).stderr;
}

/** Integrated loudness and true peak of a file's audio, read from ebur128's summary. */
async function ebur128(tools: FfmpegBinaries, path: string): Promise<AssemblyResult> {
  const log = await ffmpegRun(tools, ['-i', path, '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-']);
  const summary = log.slice(log.lastIndexOf('Summary:'));
  return {
    integratedLufs: Number(/I:\s+(\S+) LUFS/.exec(summary)?.[1]),
    truePeakDbtp: Number(/Peak:\s+(\S+) dBFS/.exec(summary)?.[1]),
  };
}

/** RMS level (dBFS) of a stretch of a file's audio, after optional filters. */
async function meanVolume(tools: FfmpegBinaries, path: string, from: number, to: number, filters = 'anull'): Promise<number> {
  const log = await ffmpegRun(tools, ['-i', path, '-af', `atrim=${from}:${to},${filters},volumedetect`, '-f', 'null', '-']);
  return Number(/mean_volume: (\S+) dB/.exec(log)?.[1]);
}

describe('FfmpegAssembler', function () {
  this.timeout(120_000);
  let tools: FfmpegBinaries;
  let prober: FfprobeProber;
  let assembler: FfmpegAssembler;
  let workDir: string;
  let clips: string[];
  let musicPath: string;
  let voice: AssemblyRequest['voice'];

  before(async () => {
    tools = await locateFfmpeg();
    prober = new FfprobeProber(tools.ffprobe);
    assembler = new FfmpegAssembler(tools.ffmpeg);
    workDir = await mkdtemp(join(tmpdir(), 'assembler-'));
    clips = await Promise.all(
      SCENES.map(async (source, index) => {
        const path = join(workDir, `clip-${index}.mp4`);
        await ffmpegRun(tools, [
          '-f', 'lavfi', '-i', `${source}=s=320x568:r=30:d=${CLIP_SEC}`,
          '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-g', '30', '-an',
          path,
        ]);
        return path;
      }),
    );
    musicPath = join(workDir, 'music.wav');
    // A steady bed, so any change of its level in the mix is the ducking: pink noise (a music-like spectrum)
    // kept under the AAC encoder's cut-off, so encoding does not change its loudness.
    await ffmpegRun(tools, [
      '-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.3:seed=7:r=48000:d=${DURATION_SEC + 1}`,
      '-af', 'lowpass=f=15000,lowpass=f=15000',
      '-ac', '2', musicPath,
    ]);
    const espeak = new EspeakVoice();
    voice = await Promise.all(
      LINES.map(async (line, index) => {
        const clip = await espeak.synthesize(line.text, join(workDir, `line-${index}.wav`), CLIP_SEC - 0.5);
        return { path: clip.path, startSec: line.startSec };
      }),
    );
  });
  after(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  function request(name: string, lines: AssemblyRequest['voice']): AssemblyRequest {
    return {
      clips,
      voice: lines,
      musicPath,
      durationSec: DURATION_SEC,
      outPath: join(workDir, name, 'ad.mp4'),
      voiceTrackPath: join(workDir, name, 'voice.wav'),
      workDir: join(workDir, name, 'work'),
    };
  }

  describe('a voiced ad', () => {
    let job: AssemblyRequest;
    let result: AssemblyResult;
    let info: MediaInfo;
    before(async () => {
      job = request('voiced', voice);
      result = await assembler.assemble(job);
      info = await prober.probe(job.outPath);
    });

    it('lasts the sum of its clips', () => {
      expect(info.durationSec).to.be.closeTo(DURATION_SEC, 0.1);
    });

    it('copies the video stream and encodes AAC stereo at 48 kHz', async () => {
      const clip = await prober.probe(clips[0]);
      expect(info.video).to.deep.equal(clip.video);
      expect(info.audio).to.deep.equal({ codec: 'aac', sampleRate: 48000, channels: 2 });
    });

    it('is at -14 ± 1 LUFS with a true peak of at most -1 dBTP, as measured independently', async () => {
      const measured = await ebur128(tools, job.outPath);
      expect(measured.integratedLufs).to.be.within(-15, -13);
      expect(measured.truePeakDbtp).to.be.at.most(-1);
      expect(result.integratedLufs).to.be.closeTo(measured.integratedLufs, 0.05);
      expect(result.truePeakDbtp).to.be.closeTo(measured.truePeakDbtp, 0.05);
    });

    it('writes the voice track: the ad long, each line at its start, silent in the gap', async () => {
      const track = await prober.probe(job.voiceTrackPath);
      expect(track.durationSec).to.be.closeTo(DURATION_SEC, 0.01);
      expect(track.audio).to.deep.equal({ codec: 'pcm_s16le', sampleRate: 48000, channels: 1 });
      for (const line of LINES) {
        expect(await meanVolume(tools, job.voiceTrackPath, line.startSec - 0.25, line.startSec - 0.01)).to.be.below(-80);
        expect(await meanVolume(tools, job.voiceTrackPath, line.startSec, line.startSec + 1)).to.be.above(-35);
      }
      expect(await meanVolume(tools, job.voiceTrackPath, GAP.startSec, GAP.endSec)).to.be.below(-80);
    });

    it('keeps the music audible where nobody speaks, well under the voice', async () => {
      const gap = await meanVolume(tools, job.outPath, GAP.startSec, GAP.endSec);
      const spoken = await meanVolume(tools, job.outPath, LINES[0].startSec + 0.3, LINES[0].startSec + 2);
      expect(gap).to.be.above(-35);
      expect(spoken - gap).to.be.above(4);
    });

    it('ducks the music under the voice', async () => {
      const line = LINES[0];
      const ducked = await meanVolume(tools, job.outPath, line.startSec + 0.5, line.startSec + 2, MUSIC_ONLY_BAND);
      const open = await meanVolume(tools, job.outPath, GAP.startSec, GAP.endSec, MUSIC_ONLY_BAND);
      expect(open - ducked).to.be.above(6);
    });

    it('leaves nothing behind but the ad and the voice track', async () => {
      expect(await readdir(join(workDir, 'voiced'))).to.have.members(['ad.mp4', 'voice.wav', 'work']);
      expect(await readdir(job.workDir)).to.deep.equal([]);
    });
  });

  it('masters an ad without voice from its music alone', async () => {
    const job = request('music-only', []);
    const result = await assembler.assemble(job);
    expect(result.integratedLufs).to.be.within(-15, -13);
    expect(result.truePeakDbtp).to.be.at.most(-1);
    expect(await meanVolume(tools, job.voiceTrackPath, 0, DURATION_SEC)).to.be.below(-80);
  });

  it('writes no ad when a clip is missing', async () => {
    const job = { ...request('broken', voice), clips: [...clips, join(workDir, 'missing.mp4')] };
    const outcome = await assembler.assemble(job).then(
      () => null,
      (error: Error) => error,
    );
    expect(outcome?.message).to.match(/ffmpeg failed/);
    expect(await stat(job.outPath).catch(() => null)).to.equal(null);
    expect(await stat(`${job.outPath}.partial`).catch(() => null)).to.equal(null);
  });
});
