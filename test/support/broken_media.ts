import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateFfmpeg } from '../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { runTool } from '../../shared/adapters/ffmpeg/run_tool';
import type { VideoFormat } from '../../shared/domain/formats';

/**
 * Real, small ad files (and their voice tracks) made with ffmpeg for QA tests: one good reference and one per
 * deliberate fault. Every file is H.264 High yuv420p 30 fps + AAC 48 kHz stereo, like the renderer's output.
 */

/** Geometry of the test files; reviews of them pass this format instead of VIDEO_FORMATS['9:16']. */
export const TEST_AD_FORMAT: VideoFormat = { aspectRatio: '9:16', width: 320, height: 568, fps: 30 };
/** The ordered duration every test file is reviewed against (wrong_duration is made longer). */
export const TEST_AD_DURATION_SEC = 6;

export const TEST_AD_KINDS = [
  'good',
  'silent_audio',
  'black_video',
  'wrong_duration',
  'too_loud',
  'frozen_video',
  'no_audio_stream',
  'voice_gap',
] as const;
export type TestAdKind = (typeof TEST_AD_KINDS)[number];

export interface TestAd {
  kind: TestAdKind;
  videoPath: string;
  voiceTrackPath: string;
  /** Length the file was made to (not the ordered one). */
  durationSec: number;
}

/** Where the faults are, so tests can assert on them. */
export const FAULTS = {
  /** black_video: an all-black second. */
  black: { startSec: 2, endSec: 3 },
  /** frozen_video: frames 45–135 (1.5 s to 4.5 s) hold frame 45. */
  freeze: { startSec: 1.5, endSec: 4.5 },
  /** Every file but frozen_video cuts to a negated picture here (a shot change). */
  cutSec: 3,
  /** The voice of every file but silent_audio / voice_gap: silent before and after this. */
  speech: { startSec: 0.3, endBeforeEndSec: 0.4 },
  /** voice_gap: the voice pauses here. */
  voiceGap: { startSec: 1.5, endSec: 4.5 },
  wrongDurationSec: 7,
  /** too_loud's tone: a 440 Hz sine raised so it peaks near 0 dBFS (about -1.3 LUFS, -0.3 dBTP). */
  loudGainDb: 20.5,
} as const;

type VideoKind = 'moving' | 'black_gap' | 'frozen';
type MixKind = 'normalised' | 'silent' | 'loud' | 'none';
type VoiceKind = 'speech' | 'silent' | 'gap';

interface AdSpec {
  video: VideoKind;
  mix: MixKind;
  voice: VoiceKind;
  durationSec: number;
}

const SPECS: Record<TestAdKind, AdSpec> = {
  good: { video: 'moving', mix: 'normalised', voice: 'speech', durationSec: TEST_AD_DURATION_SEC },
  silent_audio: { video: 'moving', mix: 'silent', voice: 'silent', durationSec: TEST_AD_DURATION_SEC },
  black_video: { video: 'black_gap', mix: 'normalised', voice: 'speech', durationSec: TEST_AD_DURATION_SEC },
  wrong_duration: { video: 'moving', mix: 'normalised', voice: 'speech', durationSec: FAULTS.wrongDurationSec },
  too_loud: { video: 'moving', mix: 'loud', voice: 'speech', durationSec: TEST_AD_DURATION_SEC },
  frozen_video: { video: 'frozen', mix: 'normalised', voice: 'speech', durationSec: TEST_AD_DURATION_SEC },
  no_audio_stream: { video: 'moving', mix: 'none', voice: 'speech', durationSec: TEST_AD_DURATION_SEC },
  voice_gap: { video: 'moving', mix: 'normalised', voice: 'gap', durationSec: TEST_AD_DURATION_SEC },
};

export interface MakeOptions {
  /** Defaults to TEST_AD_FORMAT's geometry; a benchmark can ask for 1080×1920. */
  width?: number;
  height?: number;
  durationSec?: number;
}

const ENCODE_VIDEO = ['-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-crf', '21', '-r', '30'];
const ENCODE_AUDIO = ['-c:a', 'aac', '-b:a', '160k', '-ar', '48000', '-ac', '2'];

/** Writes `<dir>/<kind>.mp4` and `<dir>/<kind>.voice.wav`. */
export async function makeTestAd(ffmpeg: string, dir: string, kind: TestAdKind, options: MakeOptions = {}): Promise<TestAd> {
  const spec = { ...SPECS[kind], ...(options.durationSec === undefined ? {} : { durationSec: options.durationSec }) };
  const width = options.width ?? TEST_AD_FORMAT.width;
  const height = options.height ?? TEST_AD_FORMAT.height;
  const videoPath = join(dir, `${kind}.mp4`);
  const voiceTrackPath = join(dir, `${kind}.voice.wav`);
  const d = spec.durationSec;
  const inputs = ['-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=30:d=${d}`];
  const graph = [videoGraph(spec.video)];
  const maps = ['-map', '[v]'];
  if (spec.mix !== 'none') {
    inputs.push('-f', 'lavfi', '-i', spec.mix === 'silent' ? `anullsrc=r=48000:cl=stereo:d=${d}` : `sine=f=440:r=48000:d=${d}`);
    graph.push(`[1:a]${mixFilter(spec.mix)},aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[a]`);
    maps.push('-map', '[a]');
  }
  await runTool(ffmpeg, [
    '-v', 'error', '-y', ...inputs, '-filter_complex', graph.join(';'), ...maps,
    ...ENCODE_VIDEO, ...(spec.mix === 'none' ? [] : ENCODE_AUDIO), '-t', String(d), videoPath,
  ]);
  await runTool(ffmpeg, [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', voiceSource(spec.voice, d), '-c:a', 'pcm_s16le', '-ar', '48000', '-ac', '1', voiceTrackPath,
  ]);
  return { kind, videoPath, voiceTrackPath, durationSec: d };
}

function videoGraph(kind: VideoKind): string {
  const cut = `negate=enable='gte(t,${FAULTS.cutSec})'`;
  switch (kind) {
    case 'moving':
      return `[0:v]${cut},format=yuv420p[v]`;
    case 'black_gap':
      return `[0:v]${cut},drawbox=c=black:t=fill:enable='between(t,${FAULTS.black.startSec},${FAULTS.black.endSec - 0.001})',format=yuv420p[v]`;
    case 'frozen': {
      const first = Math.round(FAULTS.freeze.startSec * 30);
      const last = Math.round(FAULTS.freeze.endSec * 30);
      return `[0:v]${cut},split[s][r];[s][r]freezeframes=first=${first}:last=${last}:replace=${first},format=yuv420p[v]`;
    }
  }
}

function mixFilter(kind: Exclude<MixKind, 'none'>): string {
  switch (kind) {
    case 'normalised':
      return 'loudnorm=I=-14:TP=-2:LRA=7,aresample=48000';
    case 'loud':
      return `volume=${FAULTS.loudGainDb}dB`;
    case 'silent':
      return 'anull';
  }
}

/** A 220 Hz tone stands in for speech (-18 dBFS, far above silencedetect's -45 dB); zeros are the silences. */
function voiceSource(kind: VoiceKind, d: number): string {
  if (kind === 'silent') return `anullsrc=r=48000:cl=mono:d=${d}`;
  const speechEnd = d - FAULTS.speech.endBeforeEndSec;
  const spoken =
    kind === 'gap'
      ? `between(t,${FAULTS.speech.startSec},${FAULTS.voiceGap.startSec})+between(t,${FAULTS.voiceGap.endSec},${speechEnd})`
      : `between(t,${FAULTS.speech.startSec},${speechEnd})`;
  return `sine=f=220:r=48000:d=${d},volume=volume=0:enable='not(${spoken})'`;
}

let library: Promise<Record<TestAdKind, TestAd>> | null = null;

/**
 * Every kind of test ad, made once per test process into a temporary directory that is removed when the
 * process exits (tests only read these files).
 */
export function testAdLibrary(): Promise<Record<TestAdKind, TestAd>> {
  library ??= (async () => {
    const { ffmpeg } = await locateFfmpeg();
    const dir = mkdtempSync(join(tmpdir(), 'aiprod-test-ads-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const ads = await Promise.all(TEST_AD_KINDS.map((kind) => makeTestAd(ffmpeg, dir, kind)));
    return Object.fromEntries(ads.map((ad) => [ad.kind, ad])) as Record<TestAdKind, TestAd>;
  })();
  return library;
}
