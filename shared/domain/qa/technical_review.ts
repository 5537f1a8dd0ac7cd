import type { QaCheck, QaReport } from '../../schemas/job';
import type { MediaAnalysis, MediaInfo, TimeSpan } from '../../ports/media';
import type { VideoFormat } from '../formats';

/** Longest a delivered file may differ from the ordered duration. */
export const DURATION_TOLERANCE_SEC = 0.5;
/** Delivered frame rates must match the format's exactly (29.97 is not 30): this only absorbs float noise. */
export const FPS_TOLERANCE = 0.01;
export const VIDEO_CODEC = 'h264';
/** High profile 4:2:0 8-bit is what every ad platform ingests without a re-encode (and what the renderer writes). */
export const VIDEO_PROFILE = 'High';
export const PIXEL_FORMAT = 'yuv420p';
export const AUDIO_CODEC = 'aac';
export const AUDIO_SAMPLE_RATE = 48000;

/**
 * Sane overall bit rate (video + audio, from the container) for a ~1080p, 30 fps ad.
 * - Floor 200 kb/s: the renderer's AAC alone is 160 kb/s and an all-black 1080×1920 picture adds ~20 kb/s (188 kb/s
 *   measured), while its calmest real content, a slowly turning gradient, measured 333 kb/s. Below the floor the
 *   picture is starved or missing (a broken or truncated encode).
 * - Ceiling 20 Mb/s: the busiest content measured (testsrc2 noise at CRF 21) is 7.3 Mb/s and YouTube recommends
 *   8 Mb/s for 1080p30 uploads; beyond 2.5 × that the encoder settings have gone wrong (e.g. lossless), files
 *   grow (75 MB per 30 s) and platforms re-encode them anyway.
 */
export const MIN_BITRATE_BPS = 200_000;
export const MAX_BITRATE_BPS = 20_000_000;

/** Integrated loudness target for social delivery (YouTube and Spotify normalise playback to about -14 LUFS). */
export const TARGET_LUFS = -14;
export const LUFS_TOLERANCE = 1;
/** EBU R128's true-peak ceiling: headroom for the platforms' lossy re-encode, which overshoots peaks. */
export const MAX_TRUE_PEAK_DBTP = -1.0;
/**
 * Quieter than this the mix is effectively silent (the analyzer reports digital silence and a file without audio
 * as -70 LUFS): it means the sound sources are missing, which the loudness check alone would not say.
 */
export const AUDIBLE_FLOOR_LUFS = -50;

/** No black run this long anywhere, including the first and last frames: a black opening loses the hook and the
 * thumbnail, a black ending wastes paid seconds, and the renderer never fades to black on purpose. */
export const MAX_BLACK_SEC = 0.3;
/** No frozen picture this long (every scene is meant to move). */
export const MAX_FREEZE_SEC = 2;
/** Dead air inside the voiced part: retimed scenes leave ~0.6 s (tail + lead-in) plus TTS padding between lines. */
export const MAX_VOICE_GAP_SEC = 2.5;
/** Inside a planned line, the pause between two of its sentences stays well under this. */
export const MAX_SILENCE_IN_LINE_SEC = 1.0;
/** Speech must start within this: the first seconds are the hook (retiming leaves a 0.25 s lead-in). */
export const MAX_LEADING_SILENCE_SEC = 1.5;
/** Silence after the last line: room for an end card / logo hold under the music, not more. */
export const MAX_TRAILING_SILENCE_SEC = 3.0;
/** A silence ending this close to the end of the file is the trailing silence. */
const END_TOLERANCE_SEC = 0.1;

/**
 * Checks a re-render of the same manifest, voice and music can fix: faults made by rendering or encoding
 * (mix normalisation, trimming, encoder settings, stalled or dropped frames, a truncated file). A deterministic
 * renderer bug reproduces them, but a second render costs one render and settles it.
 */
const RERENDERABLE = new Set([
  'duration', 'resolution', 'frame_rate', 'video_codec', 'video_profile', 'pixel_format', 'bitrate',
  'audio_codec', 'audio_sample_rate', 'loudness', 'true_peak', 'black_frames', 'frozen_video',
]);
/*
 * Not re-renderable: audio_present, audio_audible (the sound sources are missing or silent: the voice or the music
 * failed upstream), speech_present, speech_onset, voice_gaps, trailing_silence (the voice clips and the scene
 * timing are inputs of the render; a re-render lays them out the same way). These need new voice or a re-plan.
 */

/**
 * Technical checks of one rendered file against its format and the ordered duration. Pass the file's analysis
 * (FfmpegMediaAnalyzer, run on the file and its voice track) for the complete review; without it only the stream
 * checks (container, codecs, geometry) run.
 */
export function reviewMedia(info: MediaInfo, format: VideoFormat, durationSec: number, analysis?: MediaAnalysis, plannedLines?: readonly TimeSpan[]): QaCheck[] {
  const checks = reviewStreams(info, format, durationSec);
  if (analysis !== undefined) checks.push(...reviewAnalysis(analysis, info.durationSec, format.aspectRatio, plannedLines));
  return checks;
}

/** Checks of what ffprobe reads: duration, geometry, codecs, bit rate. */
export function reviewStreams(info: MediaInfo, format: VideoFormat, durationSec: number): QaCheck[] {
  const subject = format.aspectRatio;
  const video = info.video;
  const audio = info.audio;
  return [
    {
      name: 'duration',
      passed: Math.abs(info.durationSec - durationSec) <= DURATION_TOLERANCE_SEC,
      value: round(info.durationSec, 3),
      expected: `${durationSec} ± ${DURATION_TOLERANCE_SEC} s`,
      subject,
    },
    {
      name: 'resolution',
      passed: video !== null && video.width === format.width && video.height === format.height,
      value: video ? `${video.width}x${video.height}` : 'no video',
      expected: `${format.width}x${format.height}`,
      subject,
    },
    {
      name: 'frame_rate',
      passed: video !== null && Math.abs(video.fps - format.fps) <= FPS_TOLERANCE,
      value: video ? round(video.fps, 3) : 'no video',
      expected: `${format.fps} fps`,
      subject,
    },
    { name: 'video_codec', passed: video?.codec === VIDEO_CODEC, value: video?.codec ?? 'none', expected: VIDEO_CODEC, subject },
    {
      name: 'video_profile',
      passed: video?.profile === VIDEO_PROFILE,
      value: video?.profile || 'none',
      expected: `${VIDEO_PROFILE} profile`,
      subject,
    },
    {
      name: 'pixel_format',
      passed: video?.pixFmt === PIXEL_FORMAT,
      value: video?.pixFmt || 'none',
      expected: PIXEL_FORMAT,
      subject,
    },
    {
      name: 'bitrate',
      passed: info.bitRate >= MIN_BITRATE_BPS && info.bitRate <= MAX_BITRATE_BPS,
      value: info.bitRate,
      expected: `${MIN_BITRATE_BPS / 1000} kb/s to ${MAX_BITRATE_BPS / 1_000_000} Mb/s overall`,
      subject,
    },
    { name: 'audio_present', passed: audio !== null, value: audio !== null, expected: 'an audio stream', subject },
    { name: 'audio_codec', passed: audio?.codec === AUDIO_CODEC, value: audio?.codec ?? 'none', expected: AUDIO_CODEC, subject },
    {
      name: 'audio_sample_rate',
      passed: audio?.sampleRate === AUDIO_SAMPLE_RATE,
      value: audio?.sampleRate ?? 'none',
      expected: `${AUDIO_SAMPLE_RATE} Hz`,
      subject,
    },
  ];
}

/**
 * Checks of what the one-pass analysis measures: loudness of the mix, black and frozen picture, and speech timing
 * in the voice track. `fileDurationSec` (the delivered file's) tells a trailing silence from a gap; `plannedLines`
 * (the render plan's voice lines, when known) tells a planned pause from a missing line.
 */
export function reviewAnalysis(analysis: MediaAnalysis, fileDurationSec: number, subject?: string, plannedLines?: readonly TimeSpan[]): QaCheck[] {
  const lufs = analysis.integratedLufs;
  const peak = analysis.truePeakDbtp;
  const black = analysis.blackSpans.filter((s) => length(s) >= MAX_BLACK_SEC);
  const frozen = analysis.freezeSpans.filter((s) => length(s) >= MAX_FREEZE_SEC);
  const speech = voiceTiming(analysis, fileDurationSec);
  // With the render plan's lines, only silence where a line should be speaking is a gap; pauses the plan put
  // between lines (a long scene with a short line, music under the end card) are by design.
  const gaps =
    speech === null
      ? []
      : plannedLines === undefined
        ? speech.innerSilences.filter((s) => length(s) >= MAX_VOICE_GAP_SEC)
        : silencesWithin(analysis.voiceSilenceSpans, plannedLines).filter((s) => length(s) >= MAX_SILENCE_IN_LINE_SEC);
  const gapRule = plannedLines === undefined ? `no silence of ${MAX_VOICE_GAP_SEC} s or longer between spoken lines` : `no silence of ${MAX_SILENCE_IN_LINE_SEC} s or longer where a planned line speaks`;
  const noSpeech = 'no speech';
  return [
    {
      name: 'audio_audible',
      passed: lufs > AUDIBLE_FLOOR_LUFS,
      value: level(lufs),
      expected: `louder than ${AUDIBLE_FLOOR_LUFS} LUFS`,
      subject,
    },
    {
      name: 'loudness',
      passed: Math.abs(lufs - TARGET_LUFS) <= LUFS_TOLERANCE,
      value: level(lufs),
      expected: `${TARGET_LUFS} ± ${LUFS_TOLERANCE} LUFS integrated`,
      subject,
    },
    {
      name: 'true_peak',
      passed: peak <= MAX_TRUE_PEAK_DBTP,
      value: level(peak),
      expected: `at most ${MAX_TRUE_PEAK_DBTP.toFixed(1)} dBTP`,
      subject,
    },
    {
      name: 'black_frames',
      passed: black.length === 0,
      value: spans(black),
      expected: `no black run of ${MAX_BLACK_SEC} s or longer`,
      subject,
    },
    {
      name: 'frozen_video',
      passed: frozen.length === 0,
      value: spans(frozen),
      expected: `no frozen picture of ${MAX_FREEZE_SEC} s or longer`,
      subject,
    },
    {
      name: 'speech_present',
      passed: analysis.speechOnsetSec !== null,
      value: analysis.speechOnsetSec !== null,
      expected: 'speech in the voice track',
      subject,
    },
    {
      // Without speech there is no onset, gap or tail to judge: those pass vacuously and speech_present fails.
      name: 'speech_onset',
      passed: speech === null || speech.onsetSec <= MAX_LEADING_SILENCE_SEC,
      value: speech === null ? noSpeech : round(speech.onsetSec, 2),
      expected: `speech starts within ${MAX_LEADING_SILENCE_SEC} s`,
      subject,
    },
    {
      name: 'voice_gaps',
      passed: gaps.length === 0,
      value: speech === null ? noSpeech : spans(gaps),
      expected: gapRule,
      subject,
    },
    {
      name: 'trailing_silence',
      passed: speech === null || plannedLines !== undefined || speech.trailingSec <= MAX_TRAILING_SILENCE_SEC,
      value: speech === null ? noSpeech : round(speech.trailingSec, 2),
      expected: `at most ${MAX_TRAILING_SILENCE_SEC} s of silence after the last line`,
      subject,
    },
  ];
}

/** The parts of `silences` that fall inside `lines`. */
function silencesWithin(silences: readonly TimeSpan[], lines: readonly TimeSpan[]): TimeSpan[] {
  return silences.flatMap((silence) =>
    lines
      .map((line) => ({ startSec: Math.max(silence.startSec, line.startSec), endSec: Math.min(silence.endSec, line.endSec) }))
      .filter((piece) => piece.endSec > piece.startSec),
  );
}

interface VoiceTiming {
  onsetSec: number;
  trailingSec: number;
  /** Silences between the first and the last spoken moment. */
  innerSilences: TimeSpan[];
}

function voiceTiming(analysis: MediaAnalysis, fileDurationSec: number): VoiceTiming | null {
  const onsetSec = analysis.speechOnsetSec;
  if (onsetSec === null) return null;
  const afterOnset = analysis.voiceSilenceSpans.filter((s) => s.startSec >= onsetSec);
  const last = afterOnset[afterOnset.length - 1];
  const trailing = last !== undefined && last.endSec >= fileDurationSec - END_TOLERANCE_SEC ? last : undefined;
  return {
    onsetSec,
    trailingSec: trailing ? Math.max(0, Math.min(trailing.endSec, fileDurationSec) - trailing.startSec) : 0,
    innerSilences: trailing ? afterOnset.slice(0, -1) : afterOnset,
  };
}

export function technicalReport(checks: QaCheck[]): QaReport {
  return { passed: checks.every((c) => c.passed), checks };
}

/**
 * A report as readable lines: a verdict, then every failing check, then every passing one, e.g.
 * `FAIL 9:16 loudness: -9.1 (expected -14 ± 1 LUFS integrated)`.
 */
export function summarizeReport(report: QaReport): string {
  const failing = report.checks.filter((c) => !c.passed);
  const passing = report.checks.filter((c) => c.passed);
  const total = report.checks.length;
  const verdict = report.passed
    ? `passed: ${total} of ${total} checks`
    : `failed: ${failing.length} of ${total} checks (${unique(failing.map((c) => c.name)).join(', ')})`;
  const score =
    report.score === undefined ? '' : `; score ${report.score.toFixed(2)}${report.bar === undefined ? '' : ` (bar ${report.bar.toFixed(2)})`}`;
  const line = (c: QaCheck) =>
    `${c.passed ? 'ok  ' : 'FAIL'} ${c.subject ? `${c.subject} ` : ''}${c.name}: ${String(c.value)} (expected ${c.expected})`;
  return [`QA ${verdict}${score}`, ...failing.map(line), ...passing.map(line)].join('\n');
}

/** Names of the failing checks that a re-render of the same inputs can fix (each name once, in report order). */
export function rerenderableFaults(report: QaReport): string[] {
  return unique(report.checks.filter((c) => !c.passed && RERENDERABLE.has(c.name)).map((c) => c.name));
}

/** True when the report failed only on checks a re-render can fix: the pipeline may then re-render (once). */
export function rerenderCanFix(report: QaReport): boolean {
  const failing = report.checks.filter((c) => !c.passed);
  return failing.length > 0 && failing.every((c) => RERENDERABLE.has(c.name));
}

function length(span: TimeSpan): number {
  return span.endSec - span.startSec;
}

/** Spans as "2.00–3.50 s, 7.10–9.40 s" (at most five), or "none". */
function spans(list: readonly TimeSpan[]): string {
  if (list.length === 0) return 'none';
  const shown = list.slice(0, 5).map((s) => `${s.startSec.toFixed(2)}–${s.endSec.toFixed(2)} s`);
  return list.length > 5 ? `${shown.join(', ')} and ${list.length - 5} more` : shown.join(', ');
}

/** Levels rounded to 0.1 dB; a non-finite level (the analyzer floors its own, but not every caller) as text. */
function level(db: number): number | string {
  if (Number.isFinite(db)) return round(db, 1);
  return db < 0 ? '-inf' : 'inf';
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
