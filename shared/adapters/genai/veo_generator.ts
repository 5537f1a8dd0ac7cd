import type { GoogleGenAI } from '@google/genai' with { 'resolution-mode': 'import' };
import { modelPriceItem, type PriceItem } from '../../domain/prices';
import { ProviderOutputError } from '../../domain/resilience/errors';
import type { ProviderContext, VideoGenerator, VideoPoll, VideoRequest } from '../../ports/providers';
import type { GenaiSdk } from './genai_clients';

const START_TIMEOUT_MS = 30_000;
const POLL_TIMEOUT_MS = 20_000;

/**
 * Clips from Veo on Vertex AI: `start` sends predictLongRunning and returns the operation's name; `poll` asks
 * fetchPredictOperation about that name, from whatever process holds it. Pictures only (the pipeline mixes its
 * own voice and music), billed per second of video delivered.
 */
export class VeoGenerator implements VideoGenerator {
  readonly name: string;
  private readonly price: PriceItem;

  constructor(
    private readonly genai: GenaiSdk,
    private readonly client: GoogleGenAI,
    private readonly model: string,
  ) {
    this.name = model;
    this.price = modelPriceItem(model, 'video-second');
  }

  async start(request: VideoRequest, context: ProviderContext): Promise<string> {
    const operation = await context.call({
      capability: 'video',
      provider: this.model,
      timeoutMs: START_TIMEOUT_MS,
      run: (abortSignal) =>
        this.client.models.generateVideos({
          model: this.model,
          source: { prompt: request.prompt },
          config: {
            numberOfVideos: 1,
            durationSeconds: request.durationSec,
            aspectRatio: request.aspectRatio,
            negativePrompt: request.negativePrompt,
            generateAudio: false,
            abortSignal,
          },
        }),
    });
    if (operation.name === undefined) throw new ProviderOutputError(`${this.model} started no operation`);
    return operation.name;
  }

  async poll(operation: { name: string; durationSec: number }, context: ProviderContext): Promise<VideoPoll> {
    // A stored name is all another process has: the SDK resumes an operation from it.
    const stored = Object.assign(new this.genai.GenerateVideosOperation(), { name: operation.name });
    const current = await context.call({
      capability: 'video',
      provider: this.model,
      timeoutMs: POLL_TIMEOUT_MS,
      run: (abortSignal) => this.client.operations.getVideosOperation({ operation: stored, config: { abortSignal } }),
    });
    if (current.done !== true) return { done: false };
    if (current.error !== undefined) return { done: true, error: `operation failed: ${JSON.stringify(current.error).slice(0, 300)}` };
    const video = current.response?.generatedVideos?.[0]?.video;
    if (video?.videoBytes === undefined) {
      const filtered = current.response?.raiMediaFilteredReasons?.join('; ');
      return { done: true, error: video?.uri ? `the clip was written to ${video.uri}, not returned` : `no clip returned${filtered ? `: ${filtered}` : ''}` };
    }
    context.bill([{ item: this.price, units: operation.durationSec }]);
    return { done: true, video: { bytes: Buffer.from(video.videoBytes, 'base64'), mimeType: video.mimeType ?? 'video/mp4' } };
  }
}
