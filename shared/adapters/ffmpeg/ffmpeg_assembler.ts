import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { AdAssembler, AssemblyRequest, AssemblyResult } from '../../ports/media';
import {
  EBUR128_SUMMARY_FILTER,
  loudnormLinearFilter,
  measureLoudness,
  parseEbur128Summary,
  type LoudnessMeasurement,
  type LoudnormTarget,
} from './loudness';
import { runTool } from './run_tool';

const SAMPLE_RATE = 48000;
const TRUE_PEAK_RATE = 4 * SAMPLE_RATE;
/**
 * Delivery loudness: -14 LUFS with true peak at most -1 dBTP. loudnorm aims lower than -1 because the AAC
 * encoder adds overshoot (single-pass loudnorm at -1.5 came out at -1.3; see the platform notes).
 */
const TARGET: LoudnormTarget = { integratedLufs: -14, truePeakDbtp: -2, loudnessRangeLu: 11 };
/**
 * The voice is compressed at a known level (whatever engine made it), then voice and music are levelled
 * against each other: the compressed voice to a reference, the bed this far under it (and ducked further
 * while someone speaks).
 */
const VOICE_REFERENCE_LUFS = -16;
const BED_UNDER_VOICE_LU = 9;
/** ebur128 reports a track with nothing above its absolute gate as this. */
const SILENT_LUFS = -70;
/**
 * Evens out syllables so the voice stays clear over the bed and its peaks need less limiting: on the
 * three offline voices at the reference level it takes the peak-to-loudness ratio from 15-20 dB to 9-12.
 */
const VOICE_COMPRESSOR = 'acompressor=threshold=0.08:ratio=4:attack=3:release=80:knee=4';
/** Ducking: about -30 dBFS of voice starts pulling the bed down, by ~10 dB under normal speech. */
const DUCKING = 'sidechaincompress=threshold=0.03:ratio=6:attack=20:release=350';
/**
 * The limiter holds true peaks this far under loudnorm's target. It is what keeps the delivery under
 * -1 dBTP: speech's peaks stand 15-20 dB above its loudness, more than the 12 dB the delivery target leaves,
 * and the AAC encoder then adds up to 0.7 dB of overshoot (measured on espeak-ng speech).
 */
const LIMIT_UNDER_TARGET_DB = 1.5;
/**
 * Mastering is retried until the limited mix is this close to the delivery loudness, so loudnorm's final
 * trim cannot lift the peaks far above the limit.
 */
const MASTERING_TOLERANCE_LU = 0.3;
/** Two or three tries reach the tolerance on the offline voices; past this, loudnorm corrects the rest. */
const MAX_MASTERING_ATTEMPTS = 4;
/** A bound on how little loudness one more dB into the limiter is assumed to give, so steps stay finite. */
const MIN_GAIN_EFFECT = 0.2;
/** latency=true: the limiter's look-ahead would otherwise delay the sound against the picture. */
const LIMITER_TIMING = 'attack=5:release=80:latency=true';
const STEREO_48K = `aformat=sample_fmts=fltp:sample_rates=${SAMPLE_RATE}:channel_layouts=stereo`;
/**
 * Perceptual noise substitution off: the encoder replaces noise-like bands with noise of its own, whose random
 * peaks are not the signal's. On a 60 s mix with a 24 kHz synthetic voice it lifted the true peak from -3.6 to
 * +0.8 dBTP (PNS off: -3.1), past the delivery limit the limiter had kept.
 */
const AUDIO_ENCODING = ['-c:a', 'aac', '-b:a', '160k', '-aac_pns', '0', '-ar', String(SAMPLE_RATE), '-ac', '2'];

/**
 * Assembles a delivered ad with ffmpeg: joins the scene clips without re-encoding, builds the voice
 * track, compresses the voice and ducks the music under it, limits the mix at its delivery gain, and
 * normalises it in two passes (ebur128 measures, loudnorm applies one linear gain) before encoding AAC.
 * Returns the loudness measured on the delivered file.
 */
export class FfmpegAssembler implements AdAssembler {
  constructor(private readonly ffmpegPath: string) {}

  async assemble(request: AssemblyRequest): Promise<AssemblyResult> {
    if (request.clips.length === 0) throw new Error('nothing to assemble: no scene clips');
    if (!(request.durationSec > 0)) throw new Error(`ad duration must be positive, got ${request.durationSec}`);
    await mkdir(request.workDir, { recursive: true });
    // Formats of one job may assemble at once in the same work dir: each run gets its own directory.
    const scratch = await mkdtemp(join(request.workDir, 'assemble-'));
    const outPath = resolve(request.outPath);
    // Written next to the target and renamed at the end, so a failed run leaves no half file.
    const partialPath = `${outPath}.partial`;
    try {
      const voiceLufs = await this.writeVoiceTrack(request);
      const spokenPath = join(scratch, 'spoken.wav');
      const spokenLufs = await this.compressVoice(request.voiceTrackPath, voiceLufs, spokenPath);
      const musicLufs = (await measureLoudness(this.ffmpegPath, request.musicPath)).integratedLufs;
      const mixPath = join(scratch, 'mix.wav');
      const mixLufs = await this.mix(spokenPath, spokenLufs, request.musicPath, musicLufs, request.durationSec, mixPath);
      if (!(mixLufs > SILENT_LUFS)) throw new Error('nothing to hear: the voice track and the music are both silent');
      const { mastering, measured } = await this.master(mixPath, mixLufs);
      const clipList = join(scratch, 'clips.ffconcat');
      await writeFile(clipList, concatList(request.clips), 'utf8');
      await mkdir(dirname(outPath), { recursive: true });
      await runTool(this.ffmpegPath, [
        '-hide_banner', '-nostats', '-y',
        // A clip the concat demuxer cannot open is otherwise only logged, and the ad silently ends early.
        '-xerror',
        '-f', 'concat', '-safe', '0', '-i', clipList,
        '-i', mixPath,
        '-filter_complex',
        // loudnorm works at 192 kHz; without the final aformat the AAC encoder refuses the stream.
        `[1:a]${mastering},${loudnormLinearFilter(TARGET, measured)},aresample=${SAMPLE_RATE},${STEREO_48K}[audio]`,
        '-map', '0:v:0', '-map', '[audio]',
        '-c:v', 'copy',
        ...AUDIO_ENCODING,
        '-t', String(request.durationSec),
        '-movflags', '+faststart',
        '-f', 'mp4', partialPath,
      ]);
      await rename(partialPath, outPath);
      const { integratedLufs, truePeakDbtp } = await measureLoudness(this.ffmpegPath, outPath);
      return { integratedLufs, truePeakDbtp };
    } finally {
      await rm(scratch, { recursive: true, force: true });
      await rm(partialPath, { force: true });
    }
  }

  /**
   * Places each voice clip at its start and writes the voice-only track (mono WAV, exactly the ad's
   * length) to voiceTrackPath; returns its integrated loudness, measured in the same run.
   */
  private async writeVoiceTrack(request: AssemblyRequest): Promise<number> {
    const trackPath = resolve(request.voiceTrackPath);
    const partialPath = `${trackPath}.partial`;
    await mkdir(dirname(trackPath), { recursive: true });
    try {
      const { stderr } = await runTool(this.ffmpegPath, [
        '-hide_banner', '-nostats', '-y',
        ...request.voice.flatMap((clip) => ['-i', resolve(clip.path)]),
        '-filter_complex', voiceTrackGraph(request.voice, request.durationSec),
        '-map', '[track]',
        '-c:a', 'pcm_s16le',
        '-f', 'wav', partialPath,
      ]);
      await rename(partialPath, trackPath);
      return parseEbur128Summary(stderr).integratedLufs;
    } finally {
      await rm(partialPath, { force: true });
    }
  }

  /** Brings the voice track to the reference level and compresses it (stereo float WAV); returns its loudness. */
  private async compressVoice(voiceTrackPath: string, voiceLufs: number, spokenPath: string): Promise<number> {
    const gainDb = voiceLufs > SILENT_LUFS ? VOICE_REFERENCE_LUFS - voiceLufs : 0;
    const { stderr } = await runTool(this.ffmpegPath, [
      '-hide_banner', '-nostats', '-y',
      '-i', resolve(voiceTrackPath),
      '-filter:a', `volume=${gainDb.toFixed(2)}dB,${STEREO_48K},${VOICE_COMPRESSOR},${EBUR128_SUMMARY_FILTER}`,
      '-c:a', 'pcm_f32le',
      spokenPath,
    ]);
    return parseEbur128Summary(stderr).integratedLufs;
  }

  /** Levels voice and bed against each other and ducks the bed, into a float WAV; returns the mix's loudness. */
  private async mix(
    spokenPath: string,
    spokenLufs: number,
    musicPath: string,
    musicLufs: number,
    durationSec: number,
    mixPath: string,
  ): Promise<number> {
    const hasVoice = spokenLufs > SILENT_LUFS;
    const voiceGainDb = hasVoice ? VOICE_REFERENCE_LUFS - spokenLufs : 0;
    // With no voice to sit under, the bed is left as it is and the mastering sets its level.
    const musicGainDb = hasVoice ? VOICE_REFERENCE_LUFS - BED_UNDER_VOICE_LU - musicLufs : 0;
    const { stderr } = await runTool(this.ffmpegPath, [
      '-hide_banner', '-nostats', '-y',
      '-i', spokenPath,
      '-i', resolve(musicPath),
      '-filter_complex', mixGraph(voiceGainDb, musicGainDb, durationSec),
      '-map', '[mix]',
      '-c:a', 'pcm_f32le',
      mixPath,
    ]);
    return parseEbur128Summary(stderr).integratedLufs;
  }

  /**
   * Finds the gain into the limiter that leaves the mix at the delivery loudness, so the peaks stay where
   * the limiter put them and loudnorm only trims. The harder the limiter works, the less of each extra dB
   * comes out as loudness (half of it on espeak-ng speech), so each retry scales its step by the gain's
   * measured effect (a secant step). Returns the mastering chain and what ebur128 measured after it.
   */
  private async master(mixPath: string, mixLufs: number): Promise<{ mastering: string; measured: LoudnessMeasurement }> {
    let gainDb = TARGET.integratedLufs - mixLufs;
    let previous: { gainDb: number; lufs: number } | null = null;
    for (let attempt = 1; ; attempt += 1) {
      const mastering = masteringChain(gainDb);
      const measured = await this.measureMastered(mixPath, mastering);
      const shortfallDb = TARGET.integratedLufs - measured.integratedLufs;
      if (Math.abs(shortfallDb) <= MASTERING_TOLERANCE_LU || attempt === MAX_MASTERING_ATTEMPTS) {
        return { mastering, measured };
      }
      const effect =
        previous === null ? 1 : (measured.integratedLufs - previous.lufs) / (gainDb - previous.gainDb);
      previous = { gainDb, lufs: measured.integratedLufs };
      gainDb += shortfallDb / Math.min(1, Math.max(MIN_GAIN_EFFECT, effect));
    }
  }

  /** ebur128 over the mastered mix, back at the delivery rate as it will be encoded. */
  private async measureMastered(mixPath: string, mastering: string): Promise<LoudnessMeasurement> {
    const { stderr } = await runTool(this.ffmpegPath, [
      '-hide_banner', '-nostats',
      '-i', mixPath,
      '-filter:a', `${mastering},aresample=${SAMPLE_RATE},${EBUR128_SUMMARY_FILTER}`,
      '-f', 'null', '-',
    ]);
    return parseEbur128Summary(stderr);
  }
}

/** Each clip resampled to 48 kHz mono, delayed to its start (in samples), summed, then padded or cut to length. */
function voiceTrackGraph(voice: AssemblyRequest['voice'], durationSec: number): string {
  const end = `apad=whole_dur=${durationSec},atrim=end=${durationSec},${EBUR128_SUMMARY_FILTER}[track]`;
  if (voice.length === 0) return `anullsrc=r=${SAMPLE_RATE}:cl=mono,${end}`;
  const placed = voice.map(
    (clip, index) =>
      `[${index}:a]aresample=${SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=mono,` +
      `adelay=delays=${Math.round(Math.max(0, clip.startSec) * SAMPLE_RATE)}S:all=1[voice${index}]`,
  );
  const labels = voice.map((_, index) => `[voice${index}]`).join('');
  return `${placed.join(';')};${labels}amix=inputs=${voice.length}:normalize=0:duration=longest,${end}`;
}

/**
 * Input 0 is the compressed voice, input 1 the music. The levelled voice keys the ducking of the levelled
 * bed, and both are summed without amix's scaling into [mix], measured as it goes.
 */
function mixGraph(voiceGainDb: number, musicGainDb: number, durationSec: number): string {
  return [
    `[0:a]volume=${voiceGainDb.toFixed(2)}dB,asplit=2[voice][key]`,
    `[1:a]atrim=end=${durationSec},apad=whole_dur=${durationSec},volume=${musicGainDb.toFixed(2)}dB,${STEREO_48K}[bed]`,
    `[bed][key]${DUCKING}[ducked]`,
    `[ducked][voice]amix=inputs=2:normalize=0:duration=first,${EBUR128_SUMMARY_FILTER}[mix]`,
  ].join(';');
}

/**
 * Raises the mix by gainDb into a limiter that holds its peaks under the true-peak target. The limiter
 * works on samples, so it runs at 4× the rate to catch the peaks between them (at 48 kHz it left the true
 * peak 0.9 dB over its limit on espeak-ng speech); loudnorm works at that rate anyway.
 */
function masteringChain(gainDb: number): string {
  const limitDb = TARGET.truePeakDbtp - LIMIT_UNDER_TARGET_DB;
  return (
    `aresample=${TRUE_PEAK_RATE},volume=${gainDb.toFixed(2)}dB,` +
    `alimiter=limit=${(10 ** (limitDb / 20)).toFixed(4)}:${LIMITER_TIMING}:level=false`
  );
}

/** A concat demuxer script; in its quoted names a quote is written as '\''. */
function concatList(clips: readonly string[]): string {
  const lines = clips.map((clip) => `file '${resolve(clip).replace(/'/g, "'\\''")}'`);
  return `ffconcat version 1.0\n${lines.join('\n')}\n`;
}
