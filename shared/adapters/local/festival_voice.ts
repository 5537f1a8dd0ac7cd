import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SpeechTooLongError, type VoiceClip, type VoiceSynthesizer } from '../../ports/media';
import { runTool } from '../ffmpeg/run_tool';
import { trimSilence, wavDurationSec } from './wav';

export interface FestivalVoiceOptions {
  /** Festival's text-to-WAV script. */
  binary?: string;
  /** Festival voice function (without parentheses). */
  voice?: string;
  /** Shortest duration stretch still understood (1 is the natural pace); a line that needs less is too long. */
  minStretch?: number;
}

export const FESTIVAL_INSTALL_HINT = 'install festival: apt-get install -y festival festvox-us-slt-hts';

/**
 * The HTS engine's speed is almost exactly inversely proportional to duration (measured: 7.11 s at speed
 * 1, 5.50 s at 1.3, 3.57 s at 2), so the faster retry aims only a little under the limit.
 */
const STRETCH_HEADROOM = 1.02;

/**
 * Offline speech with Festival's CMU US SLT HTS voice: the most intelligible voice Debian packages (85 % of
 * words recognised against espeak-ng's 21 %; see docs/voices.md), at 0.7–2 s and 338 MB per run.
 */
export class FestivalVoice implements VoiceSynthesizer {
  readonly name = 'festival-cmu-us-slt-hts';
  private readonly binary: string;
  private readonly voice: string;
  private readonly minStretch: number;

  constructor(options: FestivalVoiceOptions = {}) {
    this.binary = options.binary ?? 'text2wave';
    this.voice = options.voice ?? 'voice_cmu_us_slt_arctic_hts';
    // The name is spliced into Scheme: a bare identifier cannot change what the expression does.
    if (!/^[A-Za-z0-9_]+$/.test(this.voice)) throw new Error(`not a Festival voice function: ${this.voice}`);
    this.minStretch = options.minStretch ?? 0.6;
  }

  /** Speaks at the natural pace, and shorter in proportion to any overshoot, down to minStretch. */
  async synthesize(text: string, outPath: string, maxDurationSec: number): Promise<VoiceClip> {
    if (text.trim() === '') throw new Error('festival: no text to speak');
    await mkdir(dirname(outPath), { recursive: true });
    // The text goes in a file, so nothing in it is ever read as an option or as Scheme.
    const textDir = await mkdtemp(join(tmpdir(), 'festival-'));
    try {
      const textPath = join(textDir, 'line.txt');
      await writeFile(textPath, text, 'utf8');
      let stretch = 1;
      for (;;) {
        const durationSec = await this.speak(textPath, resolve(outPath), stretch);
        if (durationSec <= maxDurationSec) return { path: outPath, durationSec };
        if (stretch <= this.minStretch) {
          throw new SpeechTooLongError(
            `speech lasts ${durationSec.toFixed(2)} s at duration stretch ${stretch.toFixed(2)}, over the ` +
              `${maxDurationSec} s limit: shorten the line`,
          );
        }
        stretch = Math.max(this.minStretch, (stretch * maxDurationSec) / (durationSec * STRETCH_HEADROOM));
      }
    } finally {
      await rm(textDir, { recursive: true, force: true });
    }
  }

  /** One text2wave run; returns the WAV's duration. */
  private async speak(textPath: string, outPath: string, stretch: number): Promise<number> {
    // text2wave exits 0 even when its Scheme fails, so a stale file must not pass for this run's output.
    await rm(outPath, { force: true });
    const { stderr } = await runTool(this.binary, [
      '-eval', `(${this.voice})`,
      // HTS voices ignore Festival's Duration_Stretch (measured: the same 7.11 s at 1.0 and 0.6); the HTS
      // engine's own speed option (-r, the reciprocal of a stretch) is what shortens them.
      '-eval', `(set! hts_engine_params (append hts_engine_params (list (list "-r" ${(1 / stretch).toFixed(4)}))))`,
      textPath,
      '-o', outPath,
    ]).catch((error: Error) => {
      const missing = (error.cause as { code?: unknown } | undefined)?.code === 'ENOENT';
      throw missing ? new Error(`${error.message}; ${FESTIVAL_INSTALL_HINT}`, { cause: error }) : error;
    });
    const written = await stat(outPath).catch(() => null);
    if (stderr.includes('SIOD ERROR') || written === null || written.size === 0) {
      throw new Error(`festival wrote no speech (is the voice ${this.voice} installed?): ${stderr.trim()}`);
    }
    // Festival pads every line with silence; the line's length is its speech.
    const trimmed = trimSilence(await readFile(outPath));
    await writeFile(outPath, trimmed);
    return wavDurationSec(trimmed);
  }
}
