import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { MusicComposer } from '../../ports/media';
import { escapeFilterValue } from './filtergraph_escape';
import { measureLoudness } from './loudness';
import { runTool } from './run_tool';

/** What a seed decides about the music. */
export interface MusicParams {
  /** MIDI pitch class of the key's tonic (0 = C). */
  tonic: number;
  beatsPerMinute: number;
}

const SAMPLE_RATE = 48000;
const BED_LOUDNESS_LUFS = -20;
const BEATS_PER_BAR = 4;
/** Calm, unhurried tempi: a bed sits under speech, it does not drive it. */
const MIN_BPM = 84;
const MAX_BPM = 108;
/** I–V–vi–IV in a major key: chord roots in semitones above the tonic, and whether the chord is minor. */
const PROGRESSION = [
  { root: 0, minor: false },
  { root: 7, minor: false },
  { root: 9, minor: true },
  { root: 5, minor: false },
];
/**
 * Each voice plays its chord tones inside one octave, starting here (MIDI): nearest-tone voicing keeps
 * common tones still, so chords change smoothly, and keeps the pads under the speech band's upper half.
 */
const BASS_LOW_NOTE = 36;
const PAD_LOW_NOTE = 55;
const ARP_LOW_NOTE = 67;
/** Slight detuning doubles each pad tone into a slow beating chorus, which reads as warm rather than pure. */
const PAD_DETUNE = 1.004;
const PAD_GAIN = 0.05;
const BASS_GAIN = 0.16;
const ARP_GAIN = 0.035;
const KICK_GAIN = 0.22;
/** Pad swells last up to this long, or a third of the bar when bars are shorter. */
const PAD_SWELL_SEC = 0.8;
const BASS_DECAY_PER_SEC = 2.5;
const ARP_DECAY_PER_SEC = 7;
/** A soft kick: a sine falling from 110 to 45 Hz, gone within a beat. */
const KICK_START_HZ = 110;
const KICK_END_HZ = 45;
const KICK_SWEEP_PER_SEC = 25;
const KICK_DECAY_PER_SEC = 9;
/** Notes start and bars meet through short ramps: any jump in a waveform is heard as a click. */
const NOTE_ATTACK_SEC = 0.005;
const BAR_EDGE_SEC = 0.01;
const LOW_PASS_HZ = 2800;
const HIGH_PASS_HZ = 35;
const FADE_IN_SEC = 1;
const FADE_OUT_SEC = 1.5;

/** Picks a key and a tempo from the seed's SHA-256: the same seed always gives the same music. */
export function musicParamsFromSeed(seed: string): MusicParams {
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  return {
    tonic: digest[0] % 12,
    beatsPerMinute: MIN_BPM + (digest[1] % (MAX_BPM - MIN_BPM + 1)),
  };
}

/**
 * A music bed synthesised with ffmpeg: soft detuned pads, a pulsing bass, a plucked arpeggio and a gentle
 * kick over I–V–vi–IV, low-passed and levelled to about -20 LUFS. One four-bar loop is synthesised per key
 * and tempo (expression evaluation is the slow part) and looped to length; both the loop and each bed
 * are cached, since the same seed and length give the same file.
 */
export class FfmpegMusicComposer implements MusicComposer {
  constructor(
    private readonly ffmpegPath: string,
    private readonly cacheDir: string,
  ) {}

  async compose(durationSec: number, seed: string, outPath: string): Promise<void> {
    if (!(durationSec > 0)) throw new Error(`music bed duration must be positive, got ${durationSec}`);
    const loopGraph = loopFilterGraph(musicParamsFromSeed(seed));
    const loopPath = this.cachePath('loop', loopGraph);
    const bedFilter = bedFilterChain(durationSec);
    const bedPath = this.cachePath('bed', `${loopPath}\n${bedFilter}\n${durationSec}`);
    await mkdir(this.cacheDir, { recursive: true });
    if (!(await exists(bedPath))) {
      await this.withScratchDir(async (scratch) => {
        if (!(await exists(loopPath))) await this.renderLoop(loopGraph, scratch, loopPath);
        const partial = join(scratch, 'bed.wav');
        await runTool(this.ffmpegPath, [
          '-hide_banner', '-nostats', '-y',
          '-stream_loop', '-1', '-i', loopPath,
          '-filter:a', bedFilter,
          '-t', String(durationSec),
          '-c:a', 'pcm_s16le', '-ar', String(SAMPLE_RATE), '-ac', '2',
          partial,
        ]);
        await rename(partial, bedPath);
      });
    }
    await mkdir(dirname(resolve(outPath)), { recursive: true });
    await copyFile(bedPath, outPath);
  }

  /** Synthesises the loop, then levels it so the bed made from it sits at BED_LOUDNESS_LUFS. */
  private async renderLoop(graph: string, scratch: string, loopPath: string): Promise<void> {
    const raw = join(scratch, 'raw-loop.wav');
    // Float samples: the raw sum may pass full scale before it is levelled.
    await runTool(this.ffmpegPath, ['-hide_banner', '-nostats', '-y', '-filter_complex', graph, '-c:a', 'pcm_f32le', raw]);
    const { integratedLufs } = await measureLoudness(this.ffmpegPath, raw);
    const levelled = join(scratch, 'loop.wav');
    await runTool(this.ffmpegPath, [
      '-hide_banner', '-nostats', '-y',
      '-i', raw,
      '-filter:a', `volume=${(BED_LOUDNESS_LUFS - integratedLufs).toFixed(2)}dB`,
      '-c:a', 'pcm_f32le',
      levelled,
    ]);
    await rename(levelled, loopPath);
  }

  /** Cache entries are named by a hash of everything that shapes their content. */
  private cachePath(kind: 'loop' | 'bed', recipe: string): string {
    const key = createHash('sha256').update(recipe).digest('hex').slice(0, 20);
    return resolve(this.cacheDir, `music-${kind}-${key}.wav`);
  }

  /**
   * Files are built in a private directory inside the cache and renamed into place, so concurrent
   * composers never see half a file (the same filesystem makes the rename atomic).
   */
  private async withScratchDir(work: (dir: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(this.cacheDir, '.compose-'));
    try {
      await work(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** The filter graph that synthesises one loop (four bars, one chord each) as stereo float audio. */
function loopFilterGraph(params: MusicParams): string {
  const beatSec = 60 / params.beatsPerMinute;
  // A whole number of samples per bar, so the loop repeats without drift.
  const barSec = Math.round(BEATS_PER_BAR * beatSec * SAMPLE_RATE) / SAMPLE_RATE;
  const bars = PROGRESSION.map((chord, index) => {
    const pitchClasses = [0, chord.minor ? 3 : 4, 7].map((interval) => (params.tonic + chord.root + interval) % 12);
    const expression = barExpression({
      barSec,
      beatSec,
      pad: pitchClasses.map((pc) => noteInOctave(pc, PAD_LOW_NOTE)),
      bass: noteInOctave(pitchClasses[0], BASS_LOW_NOTE),
      arp: arpeggio(pitchClasses),
    });
    return `aevalsrc=exprs=${escapeFilterValue(expression)}:s=${SAMPLE_RATE}:d=${barSec}[bar${index}]`;
  });
  const joined = PROGRESSION.map((_, index) => `[bar${index}]`).join('');
  return (
    `${bars.join(';')};${joined}concat=n=${PROGRESSION.length}:v=0:a=1,` +
    `lowpass=f=${LOW_PASS_HZ},highpass=f=${HIGH_PASS_HZ},pan=stereo|c0=c0|c1=c0`
  );
}

/** Loops the levelled loop to length with a fade at each end. */
function bedFilterChain(durationSec: number): string {
  // Short beds get proportionally shorter fades, so some music is left at full level.
  const fadeIn = Math.min(FADE_IN_SEC, durationSec / 4);
  const fadeOut = Math.min(FADE_OUT_SEC, durationSec / 4);
  return `afade=t=in:d=${fadeIn},afade=t=out:st=${(durationSec - fadeOut).toFixed(4)}:d=${fadeOut}`;
}

interface BarNotes {
  barSec: number;
  beatSec: number;
  pad: number[];
  bass: number;
  arp: number[];
}

/** One bar as an aevalsrc expression of t (seconds since the bar began). */
function barExpression(bar: BarNotes): string {
  const { barSec, beatSec } = bar;
  const eighthSec = beatSec / 2;
  const swell = Math.min(PAD_SWELL_SEC, barSec / 3);
  const padEnvelope = `${raisedCosine(`t/${swell}`)}*${raisedCosine(`(${barSec}-t)/${swell}`)}`;
  const pad = bar.pad
    .map(hz)
    .map((f) => `(sin(${twoPi(f)}*t)+sin(${twoPi(f * PAD_DETUNE)}*t)+0.3*sin(${twoPi(2 * f)}*t))`)
    .join('+');
  const beatTime = `mod(t,${beatSec})`;
  const bassHz = hz(bar.bass);
  const bass =
    `(sin(${twoPi(bassHz)}*t)+0.25*sin(${twoPi(2 * bassHz)}*t))` +
    `*exp(-${BASS_DECAY_PER_SEC}*${beatTime})*${attack(beatTime)}`;
  const kickPhase =
    `${KICK_END_HZ}*${beatTime}+${(KICK_START_HZ - KICK_END_HZ) / KICK_SWEEP_PER_SEC}` +
    `*(1-exp(-${KICK_SWEEP_PER_SEC}*${beatTime}))`;
  const kick = `sin(2*PI*(${kickPhase}))*exp(-${KICK_DECAY_PER_SEC}*${beatTime})`;
  // Arpeggio note k sounds on eighths k and k+4: rising through the chord twice a bar.
  const arp = bar.arp
    .map((note, k) => {
      const since = `mod(t-${k * eighthSec},${bar.arp.length * eighthSec})`;
      return `gte(t,${k * eighthSec})*sin(${twoPi(hz(note))}*t)*exp(-${ARP_DECAY_PER_SEC}*${since})*${attack(since)}`;
    })
    .join('+');
  const barEdges = `min(1,min(t,${barSec}-t)/${BAR_EDGE_SEC})`;
  return (
    `${barEdges}*(${PAD_GAIN}*${padEnvelope}*(${pad})+${BASS_GAIN}*${bass}+${KICK_GAIN}*${kick}` +
    `+${ARP_GAIN}*(${arp}))`
  );
}

/** The chord's tones an octave above the pads, plus the root again on top: four notes to arpeggiate. */
function arpeggio(pitchClasses: number[]): number[] {
  const notes = pitchClasses.map((pc) => noteInOctave(pc, ARP_LOW_NOTE)).sort((a, b) => a - b);
  return [...notes, noteInOctave(pitchClasses[0], ARP_LOW_NOTE) + 12];
}

/** The MIDI note of a pitch class within the octave starting at lowNote. */
function noteInOctave(pitchClass: number, lowNote: number): number {
  return lowNote + ((pitchClass - lowNote + 120) % 12);
}

function hz(midiNote: number): number {
  return 440 * 2 ** ((midiNote - 69) / 12);
}

function twoPi(frequency: number): string {
  return (2 * Math.PI * frequency).toFixed(4);
}

/** 0 → 1 along half a cosine as x goes 0 → 1, then held at 1: a swell with no corners. */
function raisedCosine(x: string): string {
  return `(1-cos(PI*min(1,${x})))/2`;
}

function attack(since: string): string {
  return `min(1,${since}/${NOTE_ATTACK_SEC})`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
