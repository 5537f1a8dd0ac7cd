import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SpeechTooLongError, type VoiceClip, type VoiceSynthesizer } from '../../ports/media';
import { runTool } from '../ffmpeg/run_tool';
import { wavDurationSec } from './wav';

export interface EspeakVoiceOptions {
  binary?: string;
  voice?: string;
  /** Words per minute of the first attempt: espeak-ng's natural pace. */
  startWpm?: number;
  /** Fastest rate still understood; a line that needs more is too long for its scene. */
  maxWpm?: number;
}

/**
 * Speaking time is not quite inversely proportional to the rate (pauses shrink less than words), so the
 * faster retry aims a little under the limit.
 */
const RATE_HEADROOM = 1.08;

/** Offline speech with espeak-ng: robotic, but always available, for local runs and tests. */
export class EspeakVoice implements VoiceSynthesizer {
  readonly name = 'espeak-ng';
  private readonly binary: string;
  private readonly voice: string;
  private readonly startWpm: number;
  private readonly maxWpm: number;

  constructor(options: EspeakVoiceOptions = {}) {
    this.binary = options.binary ?? 'espeak-ng';
    this.voice = options.voice ?? 'en-us';
    this.startWpm = options.startWpm ?? 165;
    this.maxWpm = options.maxWpm ?? 370;
  }

  /** Speaks at the natural pace, and faster in proportion to any overshoot, up to maxWpm. */
  async synthesize(text: string, outPath: string, maxDurationSec: number): Promise<VoiceClip> {
    await mkdir(dirname(outPath), { recursive: true });
    let wpm = this.startWpm;
    for (;;) {
      // "--" ends the options, so text starting with "-" is spoken, not parsed.
      await runTool(this.binary, ['-v', this.voice, '-s', String(wpm), '-w', outPath, '--', text]);
      const durationSec = wavDurationSec(await readFile(outPath));
      if (durationSec <= maxDurationSec) return { path: outPath, durationSec };
      if (wpm >= this.maxWpm) {
        throw new SpeechTooLongError(
          `speech lasts ${durationSec.toFixed(2)} s at ${wpm} wpm, over the ${maxDurationSec} s limit: ` +
            'shorten the line',
        );
      }
      wpm = Math.min(this.maxWpm, Math.ceil((wpm * durationSec * RATE_HEADROOM) / maxDurationSec));
    }
  }
}
