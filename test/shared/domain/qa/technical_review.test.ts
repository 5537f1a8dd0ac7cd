import { expect } from 'chai';
import { FfmpegMediaAnalyzer } from '../../../../shared/adapters/ffmpeg/ffmpeg_media_analyzer';
import { locateFfmpeg } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FfprobeProber } from '../../../../shared/adapters/ffmpeg/ffprobe_prober';
import { VIDEO_FORMATS } from '../../../../shared/domain/formats';
import {
  rerenderCanFix,
  rerenderableFaults,
  reviewAnalysis,
  reviewMedia,
  summarizeReport,
  technicalReport,
} from '../../../../shared/domain/qa/technical_review';
import type { MediaAnalysis, MediaInfo } from '../../../../shared/ports/media';
import { QaCheckSchema, type QaCheck } from '../../../../shared/schemas/job';
import { TEST_AD_DURATION_SEC, TEST_AD_FORMAT, TEST_AD_KINDS, testAdLibrary, type TestAdKind } from '../../../support/broken_media';

const good: MediaInfo = {
  durationSec: 30.02,
  sizeBytes: 1_000_000,
  bitRate: 2_000_000,
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  video: { codec: 'h264', profile: 'High', width: 1080, height: 1920, fps: 30, pixFmt: 'yuv420p' },
  audio: { codec: 'aac', sampleRate: 48000, channels: 2 },
};

/** A clean 30 s measurement: speech from 0.4 s to 28.9 s with short pauses, one cut. */
const clean: MediaAnalysis = {
  integratedLufs: -14.2,
  truePeakDbtp: -1.6,
  blackSpans: [],
  freezeSpans: [],
  voiceSilenceSpans: [
    { startSec: 0, endSec: 0.4 },
    { startSec: 7.1, endSec: 8.3 },
    { startSec: 28.9, endSec: 30.02 },
  ],
  speechOnsetSec: 0.4,
  shotChangesSec: [7.5],
};

const STREAM_CHECKS = [
  'duration', 'resolution', 'frame_rate', 'video_codec', 'video_profile', 'pixel_format', 'bitrate',
  'audio_present', 'audio_codec', 'audio_sample_rate',
];
const ANALYSIS_CHECKS = [
  'audio_audible', 'loudness', 'true_peak', 'black_frames', 'frozen_video',
  'speech_present', 'speech_onset', 'voice_gaps', 'trailing_silence',
];

const failingNames = (checks: QaCheck[]) => checks.filter((c) => !c.passed).map((c) => c.name);

describe('technical review', () => {
  it('passes a file that matches its format and duration', () => {
    expect(technicalReport(reviewMedia(good, VIDEO_FORMATS['9:16'], 30)).passed).to.equal(true);
    expect(technicalReport(reviewMedia(good, VIDEO_FORMATS['9:16'], 30, clean)).passed).to.equal(true);
  });

  it('runs the stream checks alone without an analysis, and all of them with one', () => {
    expect(reviewMedia(good, VIDEO_FORMATS['9:16'], 30).map((c) => c.name)).to.deep.equal(STREAM_CHECKS);
    const checks = reviewMedia(good, VIDEO_FORMATS['9:16'], 30, clean);
    expect(checks.map((c) => c.name)).to.deep.equal([...STREAM_CHECKS, ...ANALYSIS_CHECKS]);
    expect(checks.every((c) => c.subject === '9:16')).to.equal(true);
  });

  it('names each stream fault', () => {
    const failing = (info: MediaInfo, duration = 30) => failingNames(reviewMedia(info, VIDEO_FORMATS['9:16'], duration));
    const video = good.video!;
    expect(failing({ ...good, durationSec: 30.6 })).to.deep.equal(['duration']);
    expect(failing(good, 29.4)).to.deep.equal(['duration']);
    expect(failing(good, 29.52)).to.deep.equal([]);
    expect(failing({ ...good, audio: null })).to.deep.equal(['audio_present', 'audio_codec', 'audio_sample_rate']);
    expect(failing({ ...good, video: { ...video, codec: 'hevc', width: 720 } })).to.deep.equal(['resolution', 'video_codec']);
    expect(failing({ ...good, video: { ...video, fps: 30000 / 1001 } })).to.deep.equal(['frame_rate']);
    expect(failing({ ...good, video: { ...video, profile: 'Main' } })).to.deep.equal(['video_profile']);
    expect(failing({ ...good, video: { ...video, pixFmt: 'yuv444p' } })).to.deep.equal(['pixel_format']);
    expect(failing({ ...good, audio: { ...good.audio!, sampleRate: 44100 } })).to.deep.equal(['audio_sample_rate']);
    expect(failing({ ...good, bitRate: 150_000 })).to.deep.equal(['bitrate']);
    expect(failing({ ...good, bitRate: 25_000_000 })).to.deep.equal(['bitrate']);
    expect(failing({ ...good, bitRate: 200_000 })).to.deep.equal([]);
    expect(failing({ ...good, video: null })).to.deep.equal(['resolution', 'frame_rate', 'video_codec', 'video_profile', 'pixel_format']);
  });

  it('names each measured fault, at its threshold', () => {
    const failing = (changes: Partial<MediaAnalysis>) => failingNames(reviewAnalysis({ ...clean, ...changes }, 30.02));
    expect(failing({ integratedLufs: -15 })).to.deep.equal([]);
    expect(failing({ integratedLufs: -12.9 })).to.deep.equal(['loudness']);
    expect(failing({ integratedLufs: -15.1 })).to.deep.equal(['loudness']);
    expect(failing({ truePeakDbtp: -1.0 })).to.deep.equal([]);
    expect(failing({ truePeakDbtp: -0.9 })).to.deep.equal(['true_peak']);
    expect(failing({ integratedLufs: -70, truePeakDbtp: Number.NEGATIVE_INFINITY })).to.deep.equal(['audio_audible', 'loudness']);
    expect(failing({ blackSpans: [{ startSec: 4, endSec: 4.29 }] })).to.deep.equal([]);
    expect(failing({ blackSpans: [{ startSec: 0, endSec: 0.3 }] })).to.deep.equal(['black_frames']);
    expect(failing({ freezeSpans: [{ startSec: 10, endSec: 11.9 }] })).to.deep.equal([]);
    expect(failing({ freezeSpans: [{ startSec: 10, endSec: 12 }] })).to.deep.equal(['frozen_video']);
    expect(failing({ speechOnsetSec: 1.5, voiceSilenceSpans: [{ startSec: 0, endSec: 1.5 }] })).to.deep.equal([]);
    expect(failing({ speechOnsetSec: 1.6, voiceSilenceSpans: [{ startSec: 0, endSec: 1.6 }] })).to.deep.equal(['speech_onset']);
    expect(failing({ voiceSilenceSpans: [{ startSec: 0, endSec: 0.4 }, { startSec: 10, endSec: 12.4 }] })).to.deep.equal([]);
    expect(failing({ voiceSilenceSpans: [{ startSec: 0, endSec: 0.4 }, { startSec: 10, endSec: 12.5 }] })).to.deep.equal(['voice_gaps']);
    expect(failing({ voiceSilenceSpans: [{ startSec: 0, endSec: 0.4 }, { startSec: 27.02, endSec: 30.02 }] })).to.deep.equal([]);
    expect(failing({ voiceSilenceSpans: [{ startSec: 0, endSec: 0.4 }, { startSec: 26.9, endSec: 30.02 }] })).to.deep.equal(['trailing_silence']);
  });

  it('tells a long pause from the tail: only a silence that reaches the end of the file is trailing', () => {
    const checks = reviewAnalysis({ ...clean, voiceSilenceSpans: [{ startSec: 25, endSec: 29.5 }] }, 30.02);
    expect(failingNames(checks)).to.deep.equal(['voice_gaps']);
    expect(checks.find((c) => c.name === 'trailing_silence')!.value).to.equal(0);
  });

  it('judges speech as absent without failing the timing checks too', () => {
    const silentVoice = { ...clean, speechOnsetSec: null, voiceSilenceSpans: [{ startSec: 0, endSec: 30.02 }] };
    const checks = reviewAnalysis(silentVoice, 30.02, '1:1');
    expect(failingNames(checks)).to.deep.equal(['speech_present']);
    expect(checks.filter((c) => c.value === 'no speech').map((c) => c.name)).to.deep.equal(['speech_onset', 'voice_gaps', 'trailing_silence']);
  });

  it('writes values the job schema accepts, even for a file without audio', () => {
    const noAudio = { ...clean, integratedLufs: -70, truePeakDbtp: -144 };
    const checks = reviewMedia({ ...good, audio: null }, VIDEO_FORMATS['9:16'], 30, noAudio);
    for (const check of checks) QaCheckSchema.parse(check);
    expect(failingNames(checks)).to.deep.equal(['audio_present', 'audio_codec', 'audio_sample_rate', 'audio_audible', 'loudness']);
    expect(checks.find((c) => c.name === 'true_peak')).to.include({ value: -144, passed: true });
    // Infinite levels from another source are written as text, not as numbers the schema rejects.
    const infinite = reviewAnalysis({ ...clean, integratedLufs: -Infinity, truePeakDbtp: -Infinity }, 30.02);
    for (const check of infinite) QaCheckSchema.parse(check);
    expect(infinite.find((c) => c.name === 'loudness')).to.include({ value: '-inf', passed: false });
  });

  it('sums a report up in readable lines, failures first', () => {
    const checks = reviewMedia({ ...good, durationSec: 31 }, VIDEO_FORMATS['9:16'], 30, {
      ...clean,
      integratedLufs: -9.06,
      blackSpans: [{ startSec: 2, endSec: 3.5 }],
    });
    const lines = summarizeReport(technicalReport(checks)).split('\n');
    expect(lines[0]).to.equal('QA failed: 3 of 19 checks (duration, loudness, black_frames)');
    expect(lines.slice(1, 4)).to.deep.equal([
      'FAIL 9:16 duration: 31 (expected 30 ± 0.5 s)',
      'FAIL 9:16 loudness: -9.1 (expected -14 ± 1 LUFS integrated)',
      'FAIL 9:16 black_frames: 2.00–3.50 s (expected no black run of 0.3 s or longer)',
    ]);
    expect(lines[4]).to.equal('ok   9:16 resolution: 1080x1920 (expected 1080x1920)');
    expect(lines).to.have.length(20);
    expect(summarizeReport({ passed: true, score: 0.9, bar: 0.75, checks: [] })).to.equal('QA passed: 0 of 0 checks; score 0.90 (bar 0.75)');
  });

  it('lists the faults a re-render can fix, and says whether a re-render is worth it', () => {
    const fixable = technicalReport([
      ...reviewMedia({ ...good, durationSec: 31 }, VIDEO_FORMATS['9:16'], 30, { ...clean, truePeakDbtp: -0.2 }),
      ...reviewMedia(good, VIDEO_FORMATS['16:9'], 30, { ...clean, truePeakDbtp: -0.4, freezeSpans: [{ startSec: 3, endSec: 6 }] }),
    ]);
    expect(rerenderableFaults(fixable)).to.deep.equal(['duration', 'true_peak', 'resolution', 'frozen_video']);
    expect(rerenderCanFix(fixable)).to.equal(true);

    const silentVoice = technicalReport(
      reviewMedia(good, VIDEO_FORMATS['9:16'], 30, { ...clean, integratedLufs: -11, speechOnsetSec: null }),
    );
    expect(rerenderableFaults(silentVoice)).to.deep.equal(['loudness']);
    expect(rerenderCanFix(silentVoice)).to.equal(false); // speech_present needs a new voice, not a new render

    expect(rerenderCanFix(technicalReport(reviewMedia(good, VIDEO_FORMATS['9:16'], 30, clean)))).to.equal(false);
  });
});

describe('technical review of real files', function () {
  this.timeout(120_000);
  const expectedFailures: Record<TestAdKind, string[]> = {
    good: [],
    silent_audio: ['audio_audible', 'loudness', 'speech_present'],
    black_video: ['black_frames'],
    wrong_duration: ['duration'],
    too_loud: ['loudness', 'true_peak'],
    frozen_video: ['frozen_video'],
    no_audio_stream: ['audio_present', 'audio_codec', 'audio_sample_rate', 'audio_audible', 'loudness'],
    voice_gap: ['voice_gaps'],
  };
  const reports = new Map<TestAdKind, QaCheck[]>();

  before(async () => {
    const { ffmpeg, ffprobe } = await locateFfmpeg();
    const ads = await testAdLibrary();
    const prober = new FfprobeProber(ffprobe);
    const analyzer = new FfmpegMediaAnalyzer(ffmpeg);
    for (const kind of TEST_AD_KINDS) {
      const [info, analysis] = await Promise.all([
        prober.probe(ads[kind].videoPath),
        analyzer.analyze(ads[kind].videoPath, ads[kind].voiceTrackPath),
      ]);
      reports.set(kind, reviewMedia(info, TEST_AD_FORMAT, TEST_AD_DURATION_SEC, analysis));
    }
  });

  for (const kind of TEST_AD_KINDS) {
    const expected = expectedFailures[kind];
    it(`${kind}: ${expected.length === 0 ? 'passes' : `fails ${expected.join(', ')}`}`, () => {
      const checks = reports.get(kind)!;
      expect(failingNames(checks), summarizeReport(technicalReport(checks))).to.deep.equal(expected);
    });
  }

  it('fails the good file only on resolution against the real 9:16 format', async () => {
    const { ffprobe } = await locateFfmpeg();
    const ads = await testAdLibrary();
    const info = await new FfprobeProber(ffprobe).probe(ads.good.videoPath);
    expect(failingNames(reviewMedia(info, VIDEO_FORMATS['9:16'], TEST_AD_DURATION_SEC))).to.deep.equal(['resolution']);
  });
});
