import { expect } from 'chai';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateFfmpeg } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FfmpegMediaAnalyzer, analysisArgs } from '../../../../shared/adapters/ffmpeg/ffmpeg_media_analyzer';
import type { MediaAnalysis, TimeSpan } from '../../../../shared/ports/media';
import { MediaAnalysisSchema } from '../../../../shared/schemas/job';
import { FAULTS, TEST_AD_DURATION_SEC, testAdLibrary, type TestAd, type TestAdKind } from '../../../support/broken_media';

/** One frame at 30 fps: detectors report times on frame boundaries. */
const FRAME = 1 / 30;

function expectSpan(span: TimeSpan | undefined, startSec: number, endSec: number, tolerance = FRAME + 0.001): void {
  expect(span, `a span near ${startSec}–${endSec} s`).to.not.equal(undefined);
  expect(span!.startSec).to.be.closeTo(startSec, tolerance);
  expect(span!.endSec).to.be.closeTo(endSec, tolerance);
}

describe('analysisArgs', () => {
  it('reads both files in one run, each stream through its own filters, into the null muxer', () => {
    const args = analysisArgs('ad.mp4', '/tmp/voice.wav');
    expect(args.filter((a) => a === '-i')).to.have.length(2);
    expect(args[args.indexOf('-i') + 1]).to.equal(join(process.cwd(), 'ad.mp4'));
    expect(args).to.include('/tmp/voice.wav');
    const filterOf = (stream: string) => args[args.indexOf(`-filter:${stream}`) + 1];
    expect(filterOf('v:0')).to.match(/^blackdetect=d=0\.3:pix_th=0\.1,freezedetect=n=-60dB:d=2,select@shots='gt\(scene,0\.3\)',metadata@shots=/);
    expect(filterOf('a:0')).to.equal('silencedetect=n=-45dB:d=0.3');
    expect(filterOf('a:1')).to.match(/^ebur128@mix=peak=true/);
    // Video and mix are optional (`?`), so a file without audio is measured instead of refused.
    expect(args).to.include.members(['0:V:0?', '1:a:0', '0:a:0?']);
    expect(args.slice(-3)).to.deep.equal(['-f', 'null', '-']);
  });
});

describe('FfmpegMediaAnalyzer', function () {
  this.timeout(120_000);
  let ffmpeg: string;
  let ads: Record<TestAdKind, TestAd>;
  const results = new Map<TestAdKind, MediaAnalysis>();
  const analysisOf = async (kind: TestAdKind): Promise<MediaAnalysis> => {
    const cached = results.get(kind);
    if (cached) return cached;
    const analysis = await new FfmpegMediaAnalyzer(ffmpeg).analyze(ads[kind].videoPath, ads[kind].voiceTrackPath);
    results.set(kind, analysis);
    return analysis;
  };

  before(async () => {
    ({ ffmpeg } = await locateFfmpeg());
    ads = await testAdLibrary();
  });

  it('measures the good reference: on-target loudness, no black or freeze, one cut, speech from 0.3 s', async () => {
    const a = await analysisOf('good');
    expect(a.integratedLufs).to.be.closeTo(-14, 1);
    expect(a.truePeakDbtp).to.be.at.most(-1);
    expect(a.blackSpans).to.deep.equal([]);
    expect(a.freezeSpans).to.deep.equal([]);
    expect(a.shotChangesSec).to.have.length(1);
    expect(a.shotChangesSec[0]).to.be.closeTo(FAULTS.cutSec, FRAME);
    expect(a.speechOnsetSec).to.be.closeTo(FAULTS.speech.startSec, 0.05);
    expect(a.voiceSilenceSpans).to.have.length(2);
    expectSpan(a.voiceSilenceSpans[1], TEST_AD_DURATION_SEC - FAULTS.speech.endBeforeEndSec, TEST_AD_DURATION_SEC, 0.05);
  });

  it('finds the black second, with a shot change into and out of it', async () => {
    const a = await analysisOf('black_video');
    expect(a.blackSpans).to.have.length(1);
    expectSpan(a.blackSpans[0], FAULTS.black.startSec, FAULTS.black.endSec);
    expect(a.shotChangesSec.map((t) => Math.round(t))).to.deep.equal([FAULTS.black.startSec, FAULTS.black.endSec]);
    expect(a.freezeSpans).to.deep.equal([]); // one black second is shorter than a freeze
  });

  it('finds the frozen stretch', async () => {
    const a = await analysisOf('frozen_video');
    expect(a.freezeSpans).to.have.length(1);
    expectSpan(a.freezeSpans[0], FAULTS.freeze.startSec, FAULTS.freeze.endSec);
    expect(a.blackSpans).to.deep.equal([]);
  });

  it('measures a mix that is too loud', async () => {
    const a = await analysisOf('too_loud');
    expect(a.integratedLufs).to.be.above(-3);
    expect(a.truePeakDbtp).to.be.above(-1);
  });

  it('measures silent audio at the floors of silence (-70 LUFS, -144 dBTP), and a silent voice track as no speech', async () => {
    const a = await analysisOf('silent_audio');
    expect(a.integratedLufs).to.equal(-70);
    expect(a.truePeakDbtp).to.equal(-144);
    expect(a.speechOnsetSec).to.equal(null);
    expect(a.voiceSilenceSpans).to.have.length(1);
    expectSpan(a.voiceSilenceSpans[0], 0, TEST_AD_DURATION_SEC, 0.05);
  });

  it('measures a file without an audio stream instead of failing: loudness and peak are the floors of silence', async () => {
    const a = await analysisOf('no_audio_stream');
    expect(a.integratedLufs).to.equal(-70);
    expect(a.truePeakDbtp).to.equal(-144);
    expect(a.speechOnsetSec).to.be.closeTo(FAULTS.speech.startSec, 0.05); // the voice track is still read
    expect(a.shotChangesSec).to.have.length(1);
  });

  it('finds a pause in the voice', async () => {
    const a = await analysisOf('voice_gap');
    expect(a.voiceSilenceSpans).to.have.length(3);
    expectSpan(a.voiceSilenceSpans[1], FAULTS.voiceGap.startSec, FAULTS.voiceGap.endSec, 0.05);
  });

  it('follows the file to its real end (a long file has its trailing silence at its own end)', async () => {
    const a = await analysisOf('wrong_duration');
    expect(a.voiceSilenceSpans.at(-1)!.endSec).to.be.closeTo(FAULTS.wrongDurationSec, 0.05);
  });

  it('gives analyses the job schema stores, for every kind of file', async () => {
    for (const kind of Object.keys(ads) as TestAdKind[]) {
      const record = { aspectRatio: '9:16' as const, ...(await analysisOf(kind)) };
      expect(MediaAnalysisSchema.safeParse(record).success, kind).to.equal(true);
      expect(JSON.parse(JSON.stringify(record)), kind).to.deep.equal(record);
    }
  });

  it('decodes both files in a single ffmpeg process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'analyzer-count-'));
    try {
      const counter = join(dir, 'runs');
      const wrapper = join(dir, 'ffmpeg');
      await writeFile(wrapper, `#!/bin/sh\necho run >> '${counter}'\nexec '${ffmpeg}' "$@"\n`);
      await chmod(wrapper, 0o755);
      const a = await new FfmpegMediaAnalyzer(wrapper).analyze(ads.black_video.videoPath, ads.black_video.voiceTrackPath);
      expect(a).to.deep.equal(await analysisOf('black_video'));
      expect((await readFile(counter, 'utf8')).trim().split('\n')).to.have.length(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects with ffmpeg\'s reason when a file cannot be read', async () => {
    const outcome = await new FfmpegMediaAnalyzer(ffmpeg).analyze(ads.good.videoPath, '/nonexistent/voice.wav').then(
      () => null,
      (error: Error) => error,
    );
    expect(outcome?.message).to.match(/^ffmpeg failed with exit code 1:[\s\S]*No such file or directory/);
  });
});
