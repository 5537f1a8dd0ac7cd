import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { GoogleGenAI } from '@google/genai' with { 'resolution-mode': 'import' };
import { modelPriceItem, type PriceItem } from '../../domain/prices';
import { ProviderOutputError } from '../../domain/resilience/errors';
import { SpeechTooLongError, type VoiceClip } from '../../ports/media';
import type { GenerativeVoice, ProviderContext } from '../../ports/providers';
import { runTool } from '../ffmpeg/run_tool';
import { pcmToWav, trimSilence, wavDurationSec } from '../local/wav';

const SPEECH_TIMEOUT_MS = 60_000;
/** Faster than this, sped-up speech stops sounding natural: the line is too long for its scene. */
const MAX_TEMPO = 1.35;
/** Aim a little under the limit: atempo's output length is the input's over the factor, give or take a frame. */
const TEMPO_HEADROOM = 1.02;
/** How the narrator is asked to read; Gemini speaks only the line after the colon. */
const STYLE = 'Say clearly and warmly, at a brisk ad-read pace:';

/** `audio/L16;codec=pcm;rate=24000` → 24000. */
function sampleRateOf(mimeType: string | undefined): number {
  const rate = /rate=(\d+)/.exec(mimeType ?? '')?.[1];
  if (mimeType === undefined || !/^audio\/(L16|pcm)/i.test(mimeType) || rate === undefined) throw new ProviderOutputError(`speech in an unexpected format: ${mimeType}`);
  return Number(rate);
}

/**
 * The voiceover from Gemini speech generation, under the offline voice's timing contract: the line is spoken at the
 * model's pace; one too long for its limit is sped up (pitch kept) in proportion, up to MAX_TEMPO; beyond that it is
 * SpeechTooLongError. The raw PCM becomes a WAV trimmed of the silence around the speech.
 */
export class GeminiVoice implements GenerativeVoice {
  readonly name: string;
  private readonly input: PriceItem;
  private readonly output: PriceItem;

  constructor(
    private readonly client: GoogleGenAI,
    private readonly model: string,
    private readonly voiceName: string,
    private readonly ffmpegPath: string,
  ) {
    this.name = `${model}:${voiceName}`;
    this.input = modelPriceItem(model, 'input-token');
    this.output = modelPriceItem(model, 'output-token');
  }

  async synthesize(text: string, outPath: string, maxDurationSec: number, context: ProviderContext): Promise<VoiceClip> {
    if (text.trim() === '') throw new Error('gemini voice: no text to speak');
    const response = await context.call({
      capability: 'voice',
      provider: this.model,
      timeoutMs: SPEECH_TIMEOUT_MS,
      run: (abortSignal) =>
        this.client.models.generateContent({
          model: this.model,
          contents: [{ role: 'user', parts: [{ text: `${STYLE} ${text}` }] }],
          config: { responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: this.voiceName } } }, abortSignal },
        }),
    });
    const usage = response.usageMetadata;
    context.bill([
      { item: this.input, units: usage?.promptTokenCount ?? 0 },
      { item: this.output, units: usage?.candidatesTokenCount ?? 0 },
    ]);
    const audio = response.candidates?.[0]?.content?.parts?.find((part) => part.inlineData?.data !== undefined)?.inlineData;
    if (audio?.data === undefined) throw new ProviderOutputError(`${this.model} returned no audio`);
    const wav = trimSilence(pcmToWav(Buffer.from(audio.data, 'base64'), sampleRateOf(audio.mimeType)));
    const spokenSec = wavDurationSec(wav);
    await mkdir(dirname(outPath), { recursive: true });
    if (spokenSec <= maxDurationSec) {
      await writeFile(outPath, wav);
      return { path: outPath, durationSec: spokenSec };
    }
    const tempo = (spokenSec / maxDurationSec) * TEMPO_HEADROOM;
    if (tempo > MAX_TEMPO) {
      throw new SpeechTooLongError(`speech lasts ${spokenSec.toFixed(2)} s, over the ${maxDurationSec} s limit even at ${MAX_TEMPO}× speed: shorten the line`);
    }
    const natural = `${outPath}.natural.wav`;
    try {
      await writeFile(natural, wav);
      await runTool(this.ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', natural, '-filter:a', `atempo=${tempo.toFixed(4)}`, '-c:a', 'pcm_s16le', outPath]);
    } finally {
      await rm(natural, { force: true });
    }
    return { path: outPath, durationSec: wavDurationSec(await readFile(outPath)) };
  }
}
