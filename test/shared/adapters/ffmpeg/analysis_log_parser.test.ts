import { expect } from 'chai';
import {
  AnalysisLogError,
  SILENCE_DBTP,
  SILENCE_LUFS,
  parseAnalysisLog,
  parseInputs,
  parseLoudnessSummary,
  speechOnset,
} from '../../../../shared/adapters/ffmpeg/analysis_log_parser';

// Logs captured from FfmpegMediaAnalyzer runs (ffmpeg 5.1.9) on test/support/broken_media.ts files and on a few
// hand-made ones; per-stream Metadata blocks are cut, everything else is as ffmpeg wrote it.

/** black_video: a black second at 2–3 s, a cut at 3 s, voice from 0.32 s to 5.61 s, mix at -14 LUFS. */
const BLACK_VIDEO_LOG = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/work/black_video.mp4':
  Duration: 00:00:06.00, start: 0.000000, bitrate: 771 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 320x568 [SAR 1:1 DAR 40:71], 600 kb/s, 30 fps, 30 tbr, 15360 tbn (default)
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 159 kb/s (default)
Guessed Channel Layout for Input Stream #1.0 : mono
Input #1, wav, from '/work/black_video.voice.wav':
  Duration: 00:00:06.00, bitrate: 768 kb/s
  Stream #1:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 48000 Hz, mono, s16, 768 kb/s
Stream mapping:
  Stream #0:0 -> #0:0 (h264 (native) -> wrapped_avframe (native))
  Stream #1:0 -> #0:1 (pcm_s16le (native) -> pcm_s16le (native))
  Stream #0:1 -> #0:2 (aac (native) -> pcm_s16le (native))
[metadata@shots @ 0x55ce5bf86980] frame:0    pts:30720   pts_time:2
[metadata@shots @ 0x55ce5bf86980] lavfi.scene_score=1.000000
Output #0, null, to 'pipe:':
  Stream #0:0(und): Video: wrapped_avframe, yuv420p(progressive), 320x568 [SAR 1:1 DAR 40:71], q=2-31, 200 kb/s, 30 fps, 30 tbn (default)
  Stream #0:1: Audio: pcm_s16le, 48000 Hz, mono, s16, 768 kb/s
  Stream #0:2(und): Audio: pcm_s16le, 48000 Hz, stereo, s16, 1536 kb/s (default)
[silencedetect @ 0x55ce5bf73240] silence_start: 0
[silencedetect @ 0x55ce5bf73240] silence_end: 0.32 | silence_duration: 0.32
[blackdetect @ 0x55ce5ba52f00] black_start:2 black_end:3 black_duration:1
[metadata@shots @ 0x55ce5bf86980] frame:1    pts:46080   pts_time:3
[metadata@shots @ 0x55ce5bf86980] lavfi.scene_score=1.000000
[silencedetect @ 0x55ce5bf73240] silence_start: 5.61067
frame=    2 fps=0.0 q=-0.0 Lsize=N/A time=00:00:06.01 bitrate=N/A speed=51.6x
video:1kB audio:1690kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
[silencedetect @ 0x55ce5bf73240] silence_end: 6 | silence_duration: 0.389333
[ebur128@mix @ 0x55ce5be3d540] Summary:

  Integrated loudness:
    I:         -14.0 LUFS
    Threshold: -24.0 LUFS

  Loudness range:
    LRA:         0.0 LU
    Threshold: -34.0 LUFS
    LRA low:   -14.0 LUFS
    LRA high:  -14.0 LUFS

  True peak:
    Peak:      -13.0 dBFS
`;

/** silent_audio: digital silence in the mix and in the voice track. */
const SILENT_AUDIO_LOG = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/work/silent_audio.mp4':
  Duration: 00:00:06.00, start: 0.000000, bitrate: 731 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 320x568 [SAR 1:1 DAR 40:71], 718 kb/s, 30 fps, 30 tbr, 15360 tbn (default)
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 2 kb/s (default)
Guessed Channel Layout for Input Stream #1.0 : mono
Input #1, wav, from '/work/silent_audio.voice.wav':
  Duration: 00:00:06.00, bitrate: 768 kb/s
  Stream #1:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 48000 Hz, mono, s16, 768 kb/s
Stream mapping:
  Stream #0:0 -> #0:0 (h264 (native) -> wrapped_avframe (native))
  Stream #1:0 -> #0:1 (pcm_s16le (native) -> pcm_s16le (native))
  Stream #0:1 -> #0:2 (aac (native) -> pcm_s16le (native))
[metadata@shots @ 0x564232e07680] frame:0    pts:46080   pts_time:3
[metadata@shots @ 0x564232e07680] lavfi.scene_score=0.951193
Output #0, null, to 'pipe:':
  Stream #0:0(und): Video: wrapped_avframe, yuv420p(progressive), 320x568 [SAR 1:1 DAR 40:71], q=2-31, 200 kb/s, 30 fps, 30 tbn (default)
  Stream #0:1: Audio: pcm_s16le, 48000 Hz, mono, s16, 768 kb/s
  Stream #0:2(und): Audio: pcm_s16le, 48000 Hz, stereo, s16, 1536 kb/s (default)
[silencedetect @ 0x564232e045c0] silence_start: 0
frame=    1 fps=0.0 q=-0.0 Lsize=N/A time=00:00:06.01 bitrate=N/A speed=  48x
video:0kB audio:1690kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
[silencedetect @ 0x564232e045c0] silence_end: 6 | silence_duration: 6
[ebur128@mix @ 0x564232cbe600] Summary:

  Integrated loudness:
    I:         -70.0 LUFS
    Threshold:   0.0 LUFS

  Loudness range:
    LRA:         0.0 LU
    Threshold:   0.0 LUFS
    LRA low:     0.0 LUFS
    LRA high:    0.0 LUFS

  True peak:
    Peak:       -inf dBFS
`;

/** A 7 s file without audio (freeze 2.97–6 s, black from 6 s to its end) and a silent voice track of only 4 s. */
const NO_AUDIO_SHORT_SILENT_VOICE_LOG = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/work/endfreeze_black_noaudio.mp4':
  Duration: 00:00:07.00, start: 0.000000, bitrate: 282 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 320x568 [SAR 1:1 DAR 40:71], 278 kb/s, 30 fps, 30 tbr, 15360 tbn (default)
Guessed Channel Layout for Input Stream #1.0 : mono
Input #1, wav, from '/work/silent.wav':
  Duration: 00:00:04.00, bitrate: 768 kb/s
  Stream #1:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 48000 Hz, mono, s16, 768 kb/s
Stream mapping:
  Stream #0:0 -> #0:0 (h264 (native) -> wrapped_avframe (native))
  Stream #1:0 -> #0:1 (pcm_s16le (native) -> pcm_s16le (native))
[freezedetect @ 0x55fecec11240] lavfi.freezedetect.freeze_start: 2.96667
[freezedetect @ 0x55fecec11240] lavfi.freezedetect.freeze_duration: 3.03333
[freezedetect @ 0x55fecec11240] lavfi.freezedetect.freeze_end: 6
[metadata@shots @ 0x55fecec12dc0] frame:0    pts:92160   pts_time:6
[metadata@shots @ 0x55fecec12dc0] lavfi.scene_score=1.000000
Output #0, null, to 'pipe:':
  Stream #0:0(und): Video: wrapped_avframe, yuv420p(progressive), 320x568 [SAR 1:1 DAR 40:71], q=2-31, 200 kb/s, 30 fps, 30 tbn (default)
  Stream #0:1: Audio: pcm_s16le, 48000 Hz, mono, s16, 768 kb/s
[silencedetect @ 0x55fecec14e40] silence_start: 0
frame=    1 fps=0.0 q=-0.0 Lsize=N/A time=00:00:06.03 bitrate=N/A speed=75.5x
video:0kB audio:375kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
[blackdetect @ 0x55fece858ac0] black_start:6 black_end:6.96667 black_duration:0.966667
[silencedetect @ 0x55fecec14e40] silence_end: 4 | silence_duration: 4
`;

/** A 5 s file without audio, frozen from 1.97 s to its end (freezedetect prints no end), and a 6 s voice track. */
const FREEZE_TO_END_LOG = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/work/endfreeze.mp4':
  Duration: 00:00:05.00, start: 0.000000, bitrate: 262 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 320x568 [SAR 1:1 DAR 40:71], 258 kb/s, 30 fps, 30 tbr, 15360 tbn (default)
Guessed Channel Layout for Input Stream #1.0 : mono
Input #1, wav, from '/work/voice.wav':
  Duration: 00:00:06.00, bitrate: 768 kb/s
  Stream #1:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 48000 Hz, mono, s16, 768 kb/s
Stream mapping:
  Stream #0:0 -> #0:0 (h264 (native) -> wrapped_avframe (native))
  Stream #1:0 -> #0:1 (pcm_s16le (native) -> pcm_s16le (native))
[freezedetect @ 0x55bb3be2f900] lavfi.freezedetect.freeze_start: 1.96667
Output #0, null, to 'pipe:':
  Stream #0:0(und): Video: wrapped_avframe, yuv420p, 320x568 [SAR 1:1 DAR 40:71], q=2-31, 200 kb/s, 30 fps, 30 tbn (default)
  Stream #0:1: Audio: pcm_s16le, 48000 Hz, mono, s16, 768 kb/s
[silencedetect @ 0x55bb3be33500] silence_start: 0
[silencedetect @ 0x55bb3be33500] silence_end: 1.00004 | silence_duration: 1.00004
[silencedetect @ 0x55bb3be33500] silence_start: 3
frame=    0 fps=0.0 q=0.0 Lsize=N/A time=00:00:06.00 bitrate=N/A speed= 115x
video:0kB audio:562kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
[silencedetect @ 0x55bb3be33500] silence_end: 6 | silence_duration: 3
`;

/** Builds a minimal two-input log around some filter lines (for the cases no real file was made for). */
function logWith(lines: string[], options: { mixAudio?: boolean; voiceDuration?: string } = {}): string {
  return [
    "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/work/x.mp4':",
    '  Duration: 00:00:10.00, start: 0.000000, bitrate: 800 kb/s',
    '  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 320x568, 30 fps',
    ...(options.mixAudio ? ['  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp'] : []),
    "Input #1, wav, from '/work/x.voice.wav':",
    `  Duration: ${options.voiceDuration ?? '00:00:10.00'}, bitrate: 768 kb/s`,
    '  Stream #1:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 48000 Hz, mono, s16, 768 kb/s',
    'Stream mapping:',
    "Output #0, null, to 'pipe:':",
    '  Stream #0:1: Audio: pcm_s16le, 48000 Hz, mono, s16, 768 kb/s',
    ...lines,
  ].join('\n');
}

describe('parseAnalysisLog', () => {
  it('reads black runs, shot changes, voice silences and the mix loudness', () => {
    expect(parseAnalysisLog(BLACK_VIDEO_LOG)).to.deep.equal({
      integratedLufs: -14,
      truePeakDbtp: -13,
      blackSpans: [{ startSec: 2, endSec: 3 }],
      freezeSpans: [],
      voiceSilenceSpans: [
        { startSec: 0, endSec: 0.32 },
        { startSec: 5.61067, endSec: 6 },
      ],
      speechOnsetSec: 0.32,
      shotChangesSec: [2, 3],
    });
  });

  it('reads digital silence as -70 LUFS and its -inf peak as the -144 dBTP floor, and a silent voice track as no speech', () => {
    const analysis = parseAnalysisLog(SILENT_AUDIO_LOG);
    expect(analysis.integratedLufs).to.equal(SILENCE_LUFS).and.to.equal(-70);
    expect(analysis.truePeakDbtp).to.equal(SILENCE_DBTP).and.to.equal(-144);
    expect(analysis.voiceSilenceSpans).to.deep.equal([{ startSec: 0, endSec: 6 }]);
    expect(analysis.speechOnsetSec).to.equal(null);
    expect(analysis.shotChangesSec).to.deep.equal([3]);
  });

  it('reports a file without audio at the floors of silence, and a short voice track as silent to the end of the video', () => {
    expect(parseAnalysisLog(NO_AUDIO_SHORT_SILENT_VOICE_LOG)).to.deep.equal({
      integratedLufs: -70,
      truePeakDbtp: -144,
      blackSpans: [{ startSec: 6, endSec: 6.96667 }],
      freezeSpans: [{ startSec: 2.96667, endSec: 6 }],
      voiceSilenceSpans: [{ startSec: 0, endSec: 7 }],
      speechOnsetSec: null,
      shotChangesSec: [6],
    });
  });

  it('closes a freeze that lasts to the end of the file at the file duration', () => {
    const analysis = parseAnalysisLog(FREEZE_TO_END_LOG);
    expect(analysis.freezeSpans).to.deep.equal([{ startSec: 1.96667, endSec: 5 }]);
    expect(analysis.speechOnsetSec).to.equal(1.00004);
    expect(analysis.shotChangesSec).to.deep.equal([]);
  });

  it('puts the onset at 0 when the voice starts at once, and adds the time after a short voice track as silence', () => {
    const log = logWith(
      ['[silencedetect @ 0x1] silence_start: 2.5', '[silencedetect @ 0x1] silence_end: 3.1 | silence_duration: 0.6'],
      { voiceDuration: '00:00:08.50' },
    );
    const analysis = parseAnalysisLog(log);
    expect(analysis.speechOnsetSec).to.equal(0);
    expect(analysis.voiceSilenceSpans).to.deep.equal([
      { startSec: 2.5, endSec: 3.1 },
      { startSec: 8.5, endSec: 10 },
    ]);
  });

  it('reads numbers in exponent form and clamps a start a hair before 0', () => {
    const log = logWith([
      '[silencedetect @ 0x1] silence_start: -2.08333e-05',
      '[silencedetect @ 0x1] silence_end: 0.5 | silence_duration: 0.500021',
      '[blackdetect @ 0x2] black_start:1e-05 black_end:0.4 black_duration:0.39999',
    ]);
    const analysis = parseAnalysisLog(log);
    expect(analysis.voiceSilenceSpans).to.deep.equal([{ startSec: 0, endSec: 0.5 }]);
    expect(analysis.speechOnsetSec).to.equal(0.5);
    expect(analysis.blackSpans).to.deep.equal([{ startSec: 1e-5, endSec: 0.4 }]);
  });

  it('ignores metadata=print lines of other filter instances', () => {
    const log = logWith([
      '[Parsed_metadata_3 @ 0x1] frame:0    pts:1024   pts_time:1.5',
      '[metadata@shots @ 0x2] frame:0    pts:2048   pts_time:2.25',
      '[metadata@shots @ 0x2] lavfi.scene_score=0.612000',
    ]);
    expect(parseAnalysisLog(log).shotChangesSec).to.deep.equal([2.25]);
  });

  it('rejects logs it cannot trust', () => {
    expect(() => parseAnalysisLog('ffmpeg version 5.1.9\n')).to.throw(AnalysisLogError, /input #1/);
    expect(() => parseAnalysisLog(logWith([], { mixAudio: true }))).to.throw(AnalysisLogError, /no ebur128 summary/);
    expect(() => parseAnalysisLog(logWith(['[silencedetect @ 0x1] silence_end: 3 | silence_duration: 1']))).to.throw(
      AnalysisLogError,
      /without a start/,
    );
    expect(() =>
      parseAnalysisLog(logWith(['[freezedetect @ 0x1] lavfi.freezedetect.freeze_start: 1', '[freezedetect @ 0x1] lavfi.freezedetect.freeze_start: 4'])),
    ).to.throw(AnalysisLogError, /while one from 1 s was open/);
    const summary = (peak: string) => ['[ebur128@mix @ 0x1] Summary:', '  Integrated loudness:', '    I:   -14.0 LUFS', '  True peak:', `    Peak:   ${peak} dBFS`];
    expect(() => parseAnalysisLog(logWith(summary('inf'), { mixAudio: true }))).to.throw(AnalysisLogError, /unmeasurable true peak/);
    expect(() => parseAnalysisLog(logWith(summary('nan'), { mixAudio: true }))).to.throw(AnalysisLogError, /unreadable level "nan"/);
  });
});

describe('parseInputs', () => {
  it('reads both inputs and ignores the output listing', () => {
    expect(parseInputs(NO_AUDIO_SHORT_SILENT_VOICE_LOG.split('\n'))).to.deep.equal({
      videoDurationSec: 7,
      voiceDurationSec: 4,
      mixHasAudio: false,
      inputCount: 2,
    });
    expect(parseInputs(BLACK_VIDEO_LOG.split('\n')).mixHasAudio).to.equal(true);
  });

  it('reads an unknown duration as null and hours and minutes in full', () => {
    const lines = ["Input #0, mpegts, from 'x.ts':", '  Duration: N/A, start: 1.4', "Input #1, wav, from 'v.wav':", '  Duration: 01:02:03.50, bitrate: 1 kb/s'];
    expect(parseInputs(lines)).to.include({ videoDurationSec: null, voiceDurationSec: 3723.5 });
  });
});

describe('parseLoudnessSummary', () => {
  it('takes the true peak, not the sample peak, when both are printed', () => {
    const lines = [
      '[ebur128@mix @ 0x1] Summary:',
      '',
      '  Integrated loudness:',
      '    I:         -13.6 LUFS',
      '    Threshold: -23.9 LUFS',
      '',
      '  Sample peak:',
      '    Peak:       -2.5 dBFS',
      '',
      '  True peak:',
      '    Peak:       -0.8 dBFS',
    ];
    expect(parseLoudnessSummary(lines)).to.deep.equal({ integratedLufs: -13.6, truePeakDbtp: -0.8 });
  });

  it('returns null without a summary and rejects one without a true peak', () => {
    expect(parseLoudnessSummary(['[silencedetect @ 0x1] silence_start: 0'])).to.equal(null);
    expect(() => parseLoudnessSummary(['[ebur128@mix @ 0x1] Summary:', '  Integrated loudness:', '    I:   -14.0 LUFS'])).to.throw(
      AnalysisLogError,
      /true peak/,
    );
  });
});

describe('speechOnset', () => {
  it('is the end of a silence at the start, 0 without one, and null when the silence fills the track', () => {
    expect(speechOnset([{ startSec: 0.02, endSec: 0.7 }], 6)).to.equal(0.7);
    expect(speechOnset([{ startSec: 0.4, endSec: 0.9 }], 6)).to.equal(0);
    expect(speechOnset([], 6)).to.equal(0);
    expect(speechOnset([{ startSec: 0, endSec: 5.98 }], 6)).to.equal(null);
    expect(speechOnset([{ startSec: 0, endSec: 5.5 }], null)).to.equal(5.5);
  });
});
