import type { MediaAnalysis, TimeSpan } from '../../ports/media';

/**
 * Reads the stderr of the one-pass QA run that FfmpegMediaAnalyzer builds (ffmpeg 5.1, log level info):
 * input #0 is the delivered file (blackdetect, freezedetect, scene-change select + metadata=print, ebur128 on its
 * first audio stream), input #1 the voice-only track (silencedetect). Pure: no I/O, so it is tested on captured logs.
 */

/** Name of the metadata=print filter instance whose lines are the shot changes (`metadata@shots`). */
export const SHOTS_FILTER_ID = 'shots';
/** Name of the ebur128 filter instance on the delivered mix (`ebur128@mix`). */
export const MIX_LOUDNESS_FILTER_ID = 'mix';

/**
 * Floors for what has no level: digital silence and a file without an audio stream. ebur128 reports silence as
 * -70 LUFS (its absolute gate: it never reports less) and a "-inf" peak. Both are kept finite on purpose, because
 * the analysis is stored on the job, where zod's z.number() rejects ±Infinity and JSON would turn it into null.
 * -144 dBTP is the floor of 24-bit audio. Technical review fails either floor as inaudible (audio_audible).
 */
export const SILENCE_LUFS = -70;
export const SILENCE_DBTP = -144;

/** A silence this close to the start of the voice track is a leading silence; this close to its end, a trailing one. */
const EDGE_TOLERANCE_SEC = 0.05;

export class AnalysisLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisLogError';
  }
}

/** What the log says about each input besides the measurements. */
export interface AnalysisInputs {
  /** Duration of the delivered file from its `Duration:` line; null when ffmpeg printed N/A. */
  videoDurationSec: number | null;
  voiceDurationSec: number | null;
  /** Whether input #0 lists an audio stream (when it does, its ebur128 summary must be in the log). */
  mixHasAudio: boolean;
  /** How many `Input #N` headers the log has (an analysis run has two). */
  inputCount: number;
}

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const BLACK_RE = new RegExp(String.raw`black_start:\s*(${NUMBER})\s+black_end:\s*(${NUMBER})`);
const FREEZE_START_RE = new RegExp(String.raw`lavfi\.freezedetect\.freeze_start:\s*(${NUMBER})`);
const FREEZE_END_RE = new RegExp(String.raw`lavfi\.freezedetect\.freeze_end:\s*(${NUMBER})`);
const SILENCE_START_RE = new RegExp(String.raw`\bsilence_start:\s*(${NUMBER})`);
const SILENCE_END_RE = new RegExp(String.raw`\bsilence_end:\s*(${NUMBER})`);
const SHOT_RE = new RegExp(String.raw`^\[metadata@${SHOTS_FILTER_ID} @ [^\]]+\] frame:\s*\d+\s+pts:\s*\S+\s+pts_time:\s*(${NUMBER})`);
const SUMMARY_RE = new RegExp(String.raw`^\[ebur128@${MIX_LOUDNESS_FILTER_ID} @ [^\]]+\] Summary:`);
const INTEGRATED_RE = /^\s+I:\s+(\S+)\s+LUFS/;
const PEAK_RE = /^\s+Peak:\s+(\S+)\s+dBFS/;
const INPUT_RE = /^Input #(\d+),/;
const DURATION_RE = /^\s+Duration:\s+(?:(\d+):(\d{2}):(\d{2}(?:\.\d+)?)|N\/A)/;
const STREAM_RE = /^\s+Stream #(\d+):\d+\S*: (Video|Audio|Subtitle|Data|Attachment):/;

/** Parses the whole log into the analysis the MediaAnalyzer port promises. */
export function parseAnalysisLog(log: string): MediaAnalysis {
  const lines = log.split(/\r\n|\r|\n/);
  const inputs = parseInputs(lines);
  if (inputs.inputCount < 2) {
    throw new AnalysisLogError('the log does not list the voice track (input #1): not an analysis run');
  }
  const loudness = parseLoudnessSummary(lines);
  if (loudness === null && inputs.mixHasAudio) {
    throw new AnalysisLogError('the delivered file has an audio stream but the log has no ebur128 summary');
  }
  const voiceSilenceSpans = extendToVideoEnd(
    parseSilences(lines, inputs.voiceDurationSec),
    inputs.voiceDurationSec,
    inputs.videoDurationSec,
  );
  return {
    integratedLufs: floored(loudness?.integratedLufs ?? SILENCE_LUFS, SILENCE_LUFS, 'integrated loudness'),
    truePeakDbtp: floored(loudness?.truePeakDbtp ?? SILENCE_DBTP, SILENCE_DBTP, 'true peak'),
    blackSpans: parseBlack(lines),
    freezeSpans: parseFreezes(lines, inputs.videoDurationSec),
    voiceSilenceSpans,
    speechOnsetSec: speechOnset(voiceSilenceSpans, inputs.voiceDurationSec ?? inputs.videoDurationSec),
    shotChangesSec: parseShots(lines),
  };
}

/** Durations and streams of the two inputs, from ffmpeg's `Input #N` listing (not the `Output #0` one). */
export function parseInputs(lines: readonly string[]): AnalysisInputs {
  const durations = new Map<number, number | null>();
  const seen = new Set<number>();
  let mixHasAudio = false;
  let input: number | null = null;
  for (const line of lines) {
    const header = INPUT_RE.exec(line);
    if (header) {
      input = Number(header[1]);
      seen.add(input);
      continue;
    }
    if (/^(Output #|Stream mapping:)/.test(line)) {
      input = null;
      continue;
    }
    if (input === null) continue;
    const duration = DURATION_RE.exec(line);
    if (duration && !durations.has(input)) {
      durations.set(input, duration[1] === undefined ? null : Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]));
    }
    const stream = STREAM_RE.exec(line);
    if (stream && Number(stream[1]) === 0 && stream[2] === 'Audio') mixHasAudio = true;
  }
  return {
    videoDurationSec: durations.get(0) ?? null,
    voiceDurationSec: durations.get(1) ?? null,
    mixHasAudio,
    inputCount: seen.size,
  };
}

/** The ebur128 summary of the mix, as printed: integrated loudness and true peak ("-inf" for digital silence). */
export function parseLoudnessSummary(lines: readonly string[]): { integratedLufs: number; truePeakDbtp: number } | null {
  const start = lines.findIndex((l) => SUMMARY_RE.test(l));
  if (start < 0) return null;
  let integrated: number | null = null;
  let peak: number | null = null;
  let inTruePeak = false;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // the summary is the indented block after "Summary:"
    if (/^\s+True peak:/.test(line)) inTruePeak = true;
    else if (/^\s+\S.*:\s*$/.test(line)) inTruePeak = false; // another section heading
    const i = INTEGRATED_RE.exec(line);
    if (i && integrated === null) integrated = parseLevel(i[1]);
    const p = PEAK_RE.exec(line);
    if (p && inTruePeak) peak = parseLevel(p[1]);
  }
  if (integrated === null || peak === null) {
    throw new AnalysisLogError('the ebur128 summary lacks integrated loudness or true peak (was it run with peak=true?)');
  }
  return { integratedLufs: integrated, truePeakDbtp: peak };
}

export function parseBlack(lines: readonly string[]): TimeSpan[] {
  const spans: TimeSpan[] = [];
  for (const line of lines) {
    const m = BLACK_RE.exec(line);
    if (m) spans.push(span(m[1], m[2]));
  }
  return spans;
}

/** freezedetect prints start, duration, end; a freeze still running at the end of the file has no end line. */
export function parseFreezes(lines: readonly string[], videoDurationSec: number | null): TimeSpan[] {
  return pairStartsAndEnds(lines, FREEZE_START_RE, FREEZE_END_RE, videoDurationSec, 'freeze');
}

/** silencedetect prints start, then end; ffmpeg 5.1 also closes a silence that runs to the end of the track. */
export function parseSilences(lines: readonly string[], voiceDurationSec: number | null): TimeSpan[] {
  return pairStartsAndEnds(lines, SILENCE_START_RE, SILENCE_END_RE, voiceDurationSec, 'silence');
}

export function parseShots(lines: readonly string[]): number[] {
  const times: number[] = [];
  for (const line of lines) {
    const m = SHOT_RE.exec(line);
    if (m) times.push(Number(m[1]));
  }
  return times;
}

/**
 * When speech first starts: the end of a silence that begins at the start of the track, or 0 when the track does
 * not open with a silence; null when that first silence lasts to the end of the track (no speech at all).
 */
export function speechOnset(silences: readonly TimeSpan[], trackDurationSec: number | null): number | null {
  const first = silences[0];
  if (first === undefined || first.startSec > EDGE_TOLERANCE_SEC) return 0;
  if (trackDurationSec !== null && first.endSec >= trackDurationSec - EDGE_TOLERANCE_SEC) return null;
  return first.endSec;
}

/**
 * The voice track should be as long as the ad; if it ends early, the voice is silent from there to the end of the
 * ad, so that time is reported as (part of) a trailing silence on the ad's timeline.
 */
function extendToVideoEnd(silences: TimeSpan[], voiceSec: number | null, videoSec: number | null): TimeSpan[] {
  if (voiceSec === null || videoSec === null || videoSec - voiceSec <= EDGE_TOLERANCE_SEC) return silences;
  const last = silences[silences.length - 1];
  if (last !== undefined && last.endSec >= voiceSec - EDGE_TOLERANCE_SEC) {
    return [...silences.slice(0, -1), { startSec: last.startSec, endSec: videoSec }];
  }
  return [...silences, { startSec: voiceSec, endSec: videoSec }];
}

function pairStartsAndEnds(
  lines: readonly string[],
  startRe: RegExp,
  endRe: RegExp,
  closeAtSec: number | null,
  what: string,
): TimeSpan[] {
  const spans: TimeSpan[] = [];
  let open: string | null = null;
  for (const line of lines) {
    const start = startRe.exec(line);
    if (start) {
      if (open !== null) throw new AnalysisLogError(`${what} started at ${start[1]} s while one from ${open} s was open`);
      open = start[1];
      continue;
    }
    const end = endRe.exec(line);
    if (end) {
      if (open === null) throw new AnalysisLogError(`${what} ended at ${end[1]} s without a start`);
      spans.push(span(open, end[1]));
      open = null;
    }
  }
  if (open !== null) {
    if (closeAtSec === null) throw new AnalysisLogError(`${what} from ${open} s runs to an end of file of unknown time`);
    spans.push(span(open, String(closeAtSec)));
  }
  return spans;
}

/** Timestamps before the first sample (silencedetect can print a hair below 0) are clamped to 0. */
function span(start: string, end: string): TimeSpan {
  return { startSec: Math.max(0, Number(start)), endSec: Math.max(0, Number(end)) };
}

/** A level no lower than `floor` (so "-inf" becomes the floor); a level that is not a number at all is an error. */
function floored(db: number, floor: number, what: string): number {
  if (Number.isNaN(db) || db === Number.POSITIVE_INFINITY) throw new AnalysisLogError(`unmeasurable ${what}: ${db}`);
  return Math.max(db, floor);
}

function parseLevel(text: string): number {
  const lower = text.toLowerCase();
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  if (lower === 'inf' || lower === '+inf') return Number.POSITIVE_INFINITY;
  const value = Number(text);
  if (Number.isNaN(value)) throw new AnalysisLogError(`unreadable level "${text}" in the ebur128 summary`);
  return value;
}
